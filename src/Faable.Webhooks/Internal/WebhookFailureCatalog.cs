namespace Faable.Webhooks.Internal;

/// <summary>Every client-facing rejection, defined once: HTTP status, stable code and description.</summary>
internal static class WebhookFailureCatalog
{
    public const string ProblemTypeBase = "urn:faable:webhooks:";

    public static (int Status, string Code, string Title) Describe(FaableWebhookFailureReason reason) => reason switch
    {
        FaableWebhookFailureReason.MissingTimestamp => (401, "missing_timestamp", "The X-Faable-Timestamp header is missing."),
        FaableWebhookFailureReason.MalformedTimestamp => (401, "malformed_timestamp", "The X-Faable-Timestamp header is not a Unix time in milliseconds."),
        FaableWebhookFailureReason.TimestampInSeconds => (401, "timestamp_in_seconds", "The X-Faable-Timestamp header looks like seconds; milliseconds are expected."),
        FaableWebhookFailureReason.TimestampTooOld => (401, "timestamp_too_old", "The X-Faable-Timestamp is older than the allowed tolerance."),
        FaableWebhookFailureReason.TimestampInFuture => (401, "timestamp_in_future", "The X-Faable-Timestamp lies further in the future than the allowed tolerance."),
        FaableWebhookFailureReason.MissingSignature => (401, "missing_signature", "The X-Faable-Signature header is missing."),
        FaableWebhookFailureReason.MalformedSignature => (401, "malformed_signature", "The X-Faable-Signature header is not 'sha256=' followed by 64 lowercase hex characters."),
        FaableWebhookFailureReason.SignatureMismatch => (401, "signature_mismatch", "The signature does not match the body and timestamp for any configured secret."),
        FaableWebhookFailureReason.MalformedBody => (400, "malformed_body", "The body is not a JSON object with string members 'id' and 'type'."),
        FaableWebhookFailureReason.MissingEventType => (400, "missing_event_type", "The X-Faable-Event header is missing."),
        FaableWebhookFailureReason.MissingDeliveryId => (400, "missing_delivery_id", "The X-Faable-Delivery header is missing."),
        FaableWebhookFailureReason.EventTypeMismatch => (400, "event_type_mismatch", "The X-Faable-Event header differs from the signed body's 'type'."),
        FaableWebhookFailureReason.DeliveryIdMismatch => (400, "delivery_id_mismatch", "The X-Faable-Delivery header differs from the signed body's 'id'."),
        FaableWebhookFailureReason.BodyTooLarge => (413, "body_too_large", "The body is larger than the configured limit."),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a failure."),
    };
}
