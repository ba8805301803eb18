using System.Globalization;

namespace Faable.Actions.Internal.Api;

/// <summary>Reads the <c>blockFor</c> option of <c>api.access.deny</c>: <c>'48h'</c>, <c>'7d'</c>, <c>'30m'</c>, <c>'10s'</c> or milliseconds.</summary>
internal static class BlockForParser
{
    /// <summary>The longest block accepted: one year.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(365);

    /// <summary>Parses a duration string; returns the error text, or <see langword="null"/> with the value.</summary>
    public static string? TryParse(string text, out TimeSpan value)
    {
        value = default;
        var trimmed = text.Trim();
        if (trimmed.Length < 2)
        {
            return Invalid(text);
        }

        var unit = trimmed[^1];
        var digits = trimmed.AsSpan(0, trimmed.Length - 1);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return Invalid(text);
        }

        double ms = unit switch
        {
            's' => amount * 1000d,
            'm' => amount * 60_000d,
            'h' => amount * 3_600_000d,
            'd' => amount * 86_400_000d,
            _ => double.NaN,
        };
        return double.IsNaN(ms) ? Invalid(text) : TryFromMilliseconds(ms, out value);
    }

    /// <summary>Accepts a positive, finite, whole number of milliseconds up to <see cref="Max"/>.</summary>
    public static string? TryFromMilliseconds(double milliseconds, out TimeSpan value)
    {
        value = default;
        if (double.IsNaN(milliseconds) || double.IsInfinity(milliseconds) || milliseconds <= 0 || Math.Floor(milliseconds) != milliseconds)
        {
            return $"blockFor must be a positive whole number of milliseconds or a string like '48h', '7d', '30m', '10s'; got {milliseconds.ToString(CultureInfo.InvariantCulture)}.";
        }

        if (milliseconds > Max.TotalMilliseconds)
        {
            return $"blockFor may be at most 365 days; got {milliseconds.ToString(CultureInfo.InvariantCulture)} ms.";
        }

        value = TimeSpan.FromMilliseconds(milliseconds);
        return null;
    }

    private static string Invalid(string text) =>
        $"blockFor '{(text.Length > 40 ? text[..40] + "…" : text)}' is not a duration; use '48h', '7d', '30m', '10s' or a number of milliseconds.";
}
