namespace Faable.Webhooks;

/// <summary>
/// A webhook signing secret with a name that identifies it in results and logs. The value is used as the HMAC key
/// exactly as written (its UTF-8 bytes, <c>whsec_</c> prefix included, never base64-decoded).
/// </summary>
public sealed class FaableWebhookSecret
{
    /// <summary>Creates a secret.</summary>
    /// <param name="id">A name for the secret (for example <c>current</c>, <c>previous</c>), reported when it matches.</param>
    /// <param name="value">The secret as Faable shows it.</param>
    /// <exception cref="ArgumentException">The id is empty, or the value is empty, has whitespace at either end or is shorter than 16 characters.</exception>
    public FaableWebhookSecret(string id, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(value);
        var problem = Validate(value);
        if (problem is not null)
        {
            throw new ArgumentException($"The webhook secret '{id}' {problem}.", nameof(value));
        }

        Id = id;
        Value = value;
    }

    /// <summary>Gets the name of the secret.</summary>
    public string Id { get; }

    /// <summary>Gets the secret value. Never logged or reported by this library.</summary>
    public string Value { get; }

    /// <summary>Returns the id only, so that a secret printed by mistake does not leak.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Id;

    /// <summary>
    /// Checks a secret value against the start-up rules.
    /// </summary>
    /// <param name="value">The candidate value.</param>
    /// <returns><see langword="null"/> when valid; otherwise what is wrong, phrased to follow the secret's name.</returns>
    internal static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is empty; copy the subscription's secret (whsec_…) from Faable";
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return "has whitespace at its start or end; remove it (the secret is used exactly as written)";
        }

        if (value.Length < FaableWebhookDefaults.MinimumSecretLength)
        {
            return $"is shorter than {FaableWebhookDefaults.MinimumSecretLength} characters; use the subscription's full secret";
        }

        return null;
    }
}
