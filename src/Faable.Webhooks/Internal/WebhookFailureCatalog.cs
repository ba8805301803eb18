namespace Faable.Webhooks.Internal;

/// <summary>
/// Every client-facing answer of the webhook endpoint, defined once: HTTP status, <c>error</c> class, stable reason
/// (also the metric tag) and title. The body shape is the one every Faable package writes (<c>FaableProblem</c>).
/// </summary>
internal static class WebhookFailureCatalog
{
    // The sender failed to authenticate the delivery: retrying the same bytes cannot succeed.
    private const string InvalidSignature = "invalid_signature";

    // The delivery is authentic but not usable as sent.
    private const string InvalidRequest = "invalid_request";

    /// <summary>The store could not persist a verified delivery; the sender should retry.</summary>
    public static WebhookProblem InboxUnavailable { get; } = new(503, "temporarily_unavailable", "inbox_unavailable", "The webhook inbox is unavailable; the delivery was not accepted.");

    /// <summary>Gets every answer the endpoint can give other than success.</summary>
    public static IReadOnlyList<WebhookProblem> All { get; } =
    [
        .. Enum.GetValues<FaableWebhookFailureReason>().Where(r => r != FaableWebhookFailureReason.None).Select(Describe),
        InboxUnavailable,
    ];

    public static WebhookProblem Describe(FaableWebhookFailureReason reason) => reason switch
    {
        FaableWebhookFailureReason.MissingTimestamp => new(401, InvalidSignature, "missing_timestamp", "The X-Faable-Timestamp header is missing."),
        FaableWebhookFailureReason.MalformedTimestamp => new(401, InvalidSignature, "malformed_timestamp", "The X-Faable-Timestamp header is not a Unix time in milliseconds."),
        FaableWebhookFailureReason.TimestampInSeconds => new(401, InvalidSignature, "timestamp_in_seconds", "The X-Faable-Timestamp header looks like seconds; milliseconds are expected."),
        FaableWebhookFailureReason.TimestampTooOld => new(401, InvalidSignature, "timestamp_too_old", "The X-Faable-Timestamp is older than the allowed tolerance."),
        FaableWebhookFailureReason.TimestampInFuture => new(401, InvalidSignature, "timestamp_in_future", "The X-Faable-Timestamp lies further in the future than the allowed tolerance."),
        FaableWebhookFailureReason.MissingSignature => new(401, InvalidSignature, "missing_signature", "The X-Faable-Signature header is missing."),
        FaableWebhookFailureReason.MalformedSignature => new(401, InvalidSignature, "malformed_signature", "The X-Faable-Signature header is not 'sha256=' followed by 64 lowercase hex characters."),
        FaableWebhookFailureReason.SignatureMismatch => new(401, InvalidSignature, "signature_mismatch", "The signature does not match the body and timestamp for any configured secret."),
        FaableWebhookFailureReason.MalformedBody => new(400, InvalidRequest, "malformed_body", "The body is not a JSON object with string members 'id' and 'type'."),
        FaableWebhookFailureReason.MissingEventType => new(400, InvalidRequest, "missing_event_type", "The X-Faable-Event header is missing."),
        FaableWebhookFailureReason.MissingDeliveryId => new(400, InvalidRequest, "missing_delivery_id", "The X-Faable-Delivery header is missing."),
        FaableWebhookFailureReason.EventTypeMismatch => new(400, InvalidRequest, "event_type_mismatch", "The X-Faable-Event header differs from the signed body's 'type'."),
        FaableWebhookFailureReason.DeliveryIdMismatch => new(400, InvalidRequest, "delivery_id_mismatch", "The X-Faable-Delivery header differs from the signed body's 'id'."),
        FaableWebhookFailureReason.BodyTooLarge => new(413, InvalidRequest, "body_too_large", "The body is larger than the configured limit."),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a failure."),
    };
}
