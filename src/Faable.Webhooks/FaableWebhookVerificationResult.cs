namespace Faable.Webhooks;

/// <summary>
/// The outcome of verifying one delivery, with diagnostics that are safe to log: never the secret, never the
/// signature.
/// </summary>
public sealed class FaableWebhookVerificationResult
{
    internal FaableWebhookVerificationResult(
        FaableWebhookFailureReason failureReason,
        int bodyLength,
        long? timestamp,
        long? clockSkewMilliseconds,
        string? matchedSecretId,
        string? eventType,
        string? deliveryId)
    {
        FailureReason = failureReason;
        BodyLength = bodyLength;
        Timestamp = timestamp;
        ClockSkewMilliseconds = clockSkewMilliseconds;
        MatchedSecretId = matchedSecretId;
        EventType = eventType;
        DeliveryId = deliveryId;
    }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    public bool IsValid => FailureReason == FaableWebhookFailureReason.None;

    /// <summary>Gets the check that failed, or <see cref="FaableWebhookFailureReason.None"/>.</summary>
    public FaableWebhookFailureReason FailureReason { get; }

    /// <summary>Gets the length of the body, in bytes.</summary>
    public int BodyLength { get; }

    /// <summary>Gets the parsed timestamp in Unix milliseconds, when it could be parsed.</summary>
    public long? Timestamp { get; }

    /// <summary>
    /// Gets the receiver's clock minus the timestamp, in milliseconds, when the timestamp could be parsed:
    /// positive for a delivery from the past, negative for one from the future.
    /// </summary>
    public long? ClockSkewMilliseconds { get; }

    /// <summary>Gets the id of the secret that produced the signature, when one did.</summary>
    public string? MatchedSecretId { get; }

    /// <summary>Gets the body's <c>type</c>, when the body was read.</summary>
    public string? EventType { get; }

    /// <summary>Gets the body's <c>id</c>, when the body was read.</summary>
    public string? DeliveryId { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        IsValid
            ? $"Valid (secret '{MatchedSecretId}', {BodyLength} bytes, skew {ClockSkewMilliseconds} ms)"
            : $"{FailureReason} ({BodyLength} bytes, skew {ClockSkewMilliseconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"} ms)";
}
