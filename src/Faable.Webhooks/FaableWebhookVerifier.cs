using System.Text;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks;

/// <summary>
/// Verifies Faable webhook deliveries: the timestamp window, the HMAC-SHA256 signature over
/// <c>"&lt;timestamp&gt;.&lt;raw body&gt;"</c> with any of several secrets, and the agreement of the headers with the
/// signed body. Needs no ASP.NET Core; thread-safe; never throws for bad input.
/// </summary>
public sealed class FaableWebhookVerifier
{
    /// <summary>Below this a timestamp is not milliseconds since 1970 (it would be before March 1973) but seconds.</summary>
    private const long SmallestMillisecondTimestamp = 100_000_000_000;

    /// <summary>More digits than this cannot be a plausible millisecond timestamp and could overflow.</summary>
    private const int MaxTimestampDigits = 16;

    private const int SignatureHexLength = WebhookHmacKey.HashSize * 2;

    private readonly (string Id, WebhookHmacKey Key)[] _keys;
    private readonly TimeProvider _timeProvider;
    private readonly long _pastToleranceMs;
    private readonly long _futureToleranceMs;

    /// <summary>Creates a verifier for one secret with the default tolerances (5 minutes each way) and the system clock.</summary>
    /// <param name="secret">The subscription's secret, exactly as Faable shows it; reported under the id <c>default</c>.</param>
    /// <exception cref="ArgumentException">The secret is empty, has whitespace at either end or is shorter than 16 characters.</exception>
    public FaableWebhookVerifier(string secret)
        : this(secret, TimeProvider.System)
    {
    }

    /// <summary>Creates a verifier for one secret with the default tolerances (5 minutes each way).</summary>
    /// <param name="secret">The subscription's secret, exactly as Faable shows it; reported under the id <c>default</c>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">The secret is empty, has whitespace at either end or is shorter than 16 characters.</exception>
    public FaableWebhookVerifier(string secret, TimeProvider timeProvider)
        : this([new FaableWebhookSecret("default", secret)], FaableWebhookDefaults.PastTolerance, FaableWebhookDefaults.FutureTolerance, timeProvider)
    {
    }

    /// <summary>Creates a verifier from options: their secrets (<see cref="FaableWebhookOptions.Secret"/> and <see cref="FaableWebhookOptions.Secrets"/>) and tolerances.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">No secret is configured, a secret is invalid, or a tolerance is negative.</exception>
    public FaableWebhookVerifier(FaableWebhookOptions options, TimeProvider timeProvider)
        : this(SecretsOf(options), options.PastTolerance, options.FutureTolerance, timeProvider)
    {
    }

    /// <summary>Creates a verifier for several secrets (rotation) and explicit tolerances.</summary>
    /// <param name="secrets">The secrets; a delivery verifies if any of them matches.</param>
    /// <param name="pastTolerance">How far in the past a timestamp may lie.</param>
    /// <param name="futureTolerance">How far in the future a timestamp may lie.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">No secret is given, two secrets share an id, or a tolerance is negative.</exception>
    public FaableWebhookVerifier(IEnumerable<FaableWebhookSecret> secrets, TimeSpan pastTolerance, TimeSpan futureTolerance, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(pastTolerance, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(futureTolerance, TimeSpan.Zero);
        var list = secrets.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one webhook secret is required.", nameof(secrets));
        }

        if (list.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            throw new ArgumentException("Two webhook secrets share an id.", nameof(secrets));
        }

        _keys = [.. list.Select(s => (s.Id, new WebhookHmacKey(Encoding.UTF8.GetBytes(s.Value))))];
        SecretIds = [.. list.Select(s => s.Id)];
        _timeProvider = timeProvider;
        _pastToleranceMs = (long)pastTolerance.TotalMilliseconds;
        _futureToleranceMs = (long)futureTolerance.TotalMilliseconds;
    }

    /// <summary>Gets the ids of the configured secrets, in the order they are tried.</summary>
    public IReadOnlyList<string> SecretIds { get; }

    /// <summary>Verifies a delivery.</summary>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="headers">The delivery's Faable headers.</param>
    /// <returns>The result; <see cref="FaableWebhookVerificationResult.FailureReason"/> names the first check that failed.</returns>
    public FaableWebhookVerificationResult Verify(ReadOnlyMemory<byte> body, FaableWebhookHeaders headers) => Verify(body.Span, headers);

    /// <summary>Verifies a delivery.</summary>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="headers">The delivery's Faable headers.</param>
    /// <returns>The result; <see cref="FaableWebhookVerificationResult.FailureReason"/> names the first check that failed.</returns>
    /// <remarks>
    /// The body is read only as far as its top-level <c>id</c> and <c>type</c>; the endpoint additionally checks that
    /// the whole body is well-formed JSON before it accepts a delivery.
    /// </remarks>
    public FaableWebhookVerificationResult Verify(ReadOnlySpan<byte> body, FaableWebhookHeaders headers) => Verify(body, headers, wholeDocument: false);

    internal FaableWebhookVerificationResult Verify(ReadOnlySpan<byte> body, FaableWebhookHeaders headers, bool wholeDocument)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var length = body.Length;

        // 1. Timestamp: present, plain digits, milliseconds, inside the window.
        if (string.IsNullOrEmpty(headers.Timestamp))
        {
            return Fail(FaableWebhookFailureReason.MissingTimestamp, length);
        }

        Span<byte> timestampBytes = stackalloc byte[MaxTimestampDigits];
        if (!TryParseTimestamp(headers.Timestamp, timestampBytes, out var timestamp))
        {
            return Fail(FaableWebhookFailureReason.MalformedTimestamp, length);
        }

        timestampBytes = timestampBytes[..headers.Timestamp.Length];
        var skew = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - timestamp;
        if (timestamp < SmallestMillisecondTimestamp)
        {
            return Fail(FaableWebhookFailureReason.TimestampInSeconds, length, timestamp, skew);
        }

        if (skew > _pastToleranceMs)
        {
            return Fail(FaableWebhookFailureReason.TimestampTooOld, length, timestamp, skew);
        }

        if (-skew > _futureToleranceMs)
        {
            return Fail(FaableWebhookFailureReason.TimestampInFuture, length, timestamp, skew);
        }

        // 2. Signature: present, exactly "sha256=" + 64 lowercase hex, produced by one of the secrets.
        if (string.IsNullOrEmpty(headers.Signature))
        {
            return Fail(FaableWebhookFailureReason.MissingSignature, length, timestamp, skew);
        }

        Span<byte> expected = stackalloc byte[WebhookHmacKey.HashSize];
        if (!TryParseSignature(headers.Signature, expected))
        {
            return Fail(FaableWebhookFailureReason.MalformedSignature, length, timestamp, skew);
        }

        string? matched = null;
        foreach (var (id, key) in _keys)
        {
            // Every key is tried even after a match, so timing does not tell which secret matched.
            if (key.Matches(timestampBytes, "."u8, body, expected) && matched is null)
            {
                matched = id;
            }
        }

        if (matched is null)
        {
            return Fail(FaableWebhookFailureReason.SignatureMismatch, length, timestamp, skew);
        }

        // 3. The signed body is the truth: it must name the delivery, and the headers must agree with it.
        if (!WebhookEnvelopeReader.TryRead(body, wholeDocument, out var bodyId, out var bodyType))
        {
            return new(FaableWebhookFailureReason.MalformedBody, length, timestamp, skew, matched, null, null);
        }

        var reason = string.IsNullOrEmpty(headers.EventType) ? FaableWebhookFailureReason.MissingEventType
            : string.IsNullOrEmpty(headers.DeliveryId) ? FaableWebhookFailureReason.MissingDeliveryId
            : !string.Equals(headers.EventType, bodyType, StringComparison.Ordinal) ? FaableWebhookFailureReason.EventTypeMismatch
            : !string.Equals(headers.DeliveryId, bodyId, StringComparison.Ordinal) ? FaableWebhookFailureReason.DeliveryIdMismatch
            : FaableWebhookFailureReason.None;
        return new(reason, length, timestamp, skew, matched, bodyType, bodyId);
    }

    internal static bool TryParseTimestamp(string text, Span<byte> ascii, out long value)
    {
        value = 0;
        if (text.Length > MaxTimestampDigits || text[0] == '0')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            ascii[i] = (byte)c;
            value = (value * 10) + (c - '0');
        }

        return true;
    }

    internal static bool TryParseSignature(string text, Span<byte> destination)
    {
        if (text.Length != FaableWebhookDefaults.SignaturePrefix.Length + SignatureHexLength
            || !text.StartsWith(FaableWebhookDefaults.SignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = text.AsSpan(FaableWebhookDefaults.SignaturePrefix.Length);
        for (var i = 0; i < destination.Length; i++)
        {
            var high = LowerHexValue(hex[2 * i]);
            var low = LowerHexValue(hex[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int LowerHexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static FaableWebhookVerificationResult Fail(FaableWebhookFailureReason reason, int length, long? timestamp = null, long? skew = null) =>
        new(reason, length, timestamp, skew, null, null, null);

    private static List<FaableWebhookSecret> SecretsOf(FaableWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secrets = new List<FaableWebhookSecret>();
        if (options.Secret is not null)
        {
            secrets.Add(new FaableWebhookSecret("default", options.Secret));
        }

        foreach (var (id, value) in options.Secrets)
        {
            secrets.Add(new FaableWebhookSecret(id, value));
        }

        return secrets;
    }
}
