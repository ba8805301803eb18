using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Unicode;

namespace Faable.AspNetCore.Internal;

/// <summary>Reads JWT claims exactly as sent: arrays become repeated claims, objects stay JSON.</summary>
internal static class JsonClaims
{
    public const string JsonValueType = "JSON";
    public const string JsonArrayValueType = "JSON_ARRAY";

    /// <summary>
    /// Parses a JOSE header or a claims set: UTF-8 JSON text (RFC 8259 §8.1) holding one object without duplicate member
    /// names, every string of which can be read. Returns <see langword="null"/> for anything else; never throws.
    /// </summary>
    public static JsonDocument? TryParseObject(byte[] utf8, int maxDepth)
    {
        // System.Text.Json leaves bytes inside strings unchecked until a string is read, and then throws.
        if (!Utf8.IsValid(utf8))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object ||
            (utf8.AsSpan().IndexOf("\\u"u8) >= 0 && !StringsReadable(root)) ||
            HasDuplicateMembers(root))
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    /// <summary>An escaped lone surrogate (<c>"\ud800"</c>) is valid JSON text but no string: reading it throws.</summary>
    private static bool StringsReadable(JsonElement element)
    {
        try
        {
            return Readable(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Readable(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        _ = Readable(item);
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        _ = member.Name;
                        _ = Readable(member.Value);
                    }

                    return true;
                default:
                    return true;
            }
        }
    }

    /// <summary>RFC 7515 §4 / RFC 7519 §4: duplicate member names are rejected, so every reader sees one value.</summary>
    public static bool HasDuplicateMembers(JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        if (count < 2)
        {
            return false;
        }

        var names = new HashSet<string>(count, StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (!names.Add(member.Name))
            {
                return true;
            }
        }

        return false;
    }

    public static void Add(List<ClaimData> claims, string type, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                claims.Add(new ClaimData(type, value.GetString()!, ClaimValueTypes.String));
                break;
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                claims.Add(new ClaimData(type, raw, value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                claims.Add(new ClaimData(type, value.ValueKind == JsonValueKind.True ? "true" : "false", ClaimValueTypes.Boolean));
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                    {
                        claims.Add(new ClaimData(type, item.GetRawText(), item.ValueKind == JsonValueKind.Array ? JsonArrayValueType : JsonValueType));
                    }
                    else
                    {
                        Add(claims, type, item);
                    }
                }

                break;
            case JsonValueKind.Object:
                claims.Add(new ClaimData(type, value.GetRawText(), JsonValueType));
                break;
            default:
                break;
        }
    }

    public static string Printable(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var span = value.Length > 100 ? value.AsSpan(0, 100) : value.AsSpan();
        var chars = new char[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            chars[i] = span[i] is >= ' ' and <= '~' and not '"' and not '\\' ? span[i] : '?';
        }

        return new string(chars) + (value.Length > 100 ? "..." : string.Empty);
    }

    public static string Join(IEnumerable<string> values) =>
        string.Join(", ", values.Select(v => "'" + Printable(v) + "'"));

    public static string Format(double seconds) => seconds.ToString("0", CultureInfo.InvariantCulture);
}
