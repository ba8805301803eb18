namespace Faable.Webhooks;

/// <summary>
/// The check a webhook delivery failed. Checks run in the order of the members below: authenticity first
/// (timestamp and signature), then the body and its agreement with the headers.
/// </summary>
public enum FaableWebhookFailureReason
{
    /// <summary>The delivery passed every check.</summary>
    None = 0,

    /// <summary>The <c>X-Faable-Timestamp</c> header is missing or empty.</summary>
    MissingTimestamp,

    /// <summary>The <c>X-Faable-Timestamp</c> header is not a plain positive integer of milliseconds (signs, spaces, leading zeros, decimals and overflow are refused).</summary>
    MalformedTimestamp,

    /// <summary>The timestamp is too small to be milliseconds since 1970 and looks like seconds; Faable sends milliseconds.</summary>
    TimestampInSeconds,

    /// <summary>The timestamp lies further in the past than the configured past tolerance.</summary>
    TimestampTooOld,

    /// <summary>The timestamp lies further in the future than the configured future tolerance.</summary>
    TimestampInFuture,

    /// <summary>The <c>X-Faable-Signature</c> header is missing or empty.</summary>
    MissingSignature,

    /// <summary>The <c>X-Faable-Signature</c> header is not exactly <c>sha256=</c> followed by 64 lowercase hexadecimal characters.</summary>
    MalformedSignature,

    /// <summary>The signature is well formed but no configured secret produces it for this timestamp and body.</summary>
    SignatureMismatch,

    /// <summary>The signed body is not a JSON object with non-empty string members <c>id</c> and <c>type</c> (each once).</summary>
    MalformedBody,

    /// <summary>The <c>X-Faable-Event</c> header is missing or empty.</summary>
    MissingEventType,

    /// <summary>The <c>X-Faable-Delivery</c> header is missing or empty.</summary>
    MissingDeliveryId,

    /// <summary>The <c>X-Faable-Event</c> header differs from the signed body's <c>type</c>.</summary>
    EventTypeMismatch,

    /// <summary>The <c>X-Faable-Delivery</c> header differs from the signed body's <c>id</c>.</summary>
    DeliveryIdMismatch,

    /// <summary>The body is larger than the configured limit (reported by the endpoint, answered with 413).</summary>
    BodyTooLarge,
}
