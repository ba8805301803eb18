namespace Faable.Webhooks;

/// <summary>
/// Values of the Faable webhook contract that users need: header names, the signature prefix and the defaults
/// this library applies.
/// </summary>
public static class FaableWebhookDefaults
{
    /// <summary>The header carrying the event type, equal to the body's <c>type</c>: <c>X-Faable-Event</c>.</summary>
    public const string EventHeader = "X-Faable-Event";

    /// <summary>The header carrying the unique delivery id (<c>evt_…</c>), equal to the body's <c>id</c>: <c>X-Faable-Delivery</c>.</summary>
    public const string DeliveryHeader = "X-Faable-Delivery";

    /// <summary>The header carrying the Unix time in milliseconds at which the signature was computed: <c>X-Faable-Timestamp</c>.</summary>
    public const string TimestampHeader = "X-Faable-Timestamp";

    /// <summary>The header carrying <c>sha256=&lt;64 lowercase hex characters&gt;</c>: <c>X-Faable-Signature</c>.</summary>
    public const string SignatureHeader = "X-Faable-Signature";

    /// <summary>The prefix of the signature header value: <c>sha256=</c>.</summary>
    public const string SignaturePrefix = "sha256=";

    /// <summary>The name of the meter that reports deliveries, dispatches and the inbox backlog: <c>Faable.Webhooks</c>.</summary>
    public const string MeterName = "Faable.Webhooks";

    /// <summary>The configuration section conventionally used for the options: <c>Faable:Webhooks</c>.</summary>
    public const string ConfigurationSection = "Faable:Webhooks";

    /// <summary>The minimum length of a secret, in characters: 16.</summary>
    public const int MinimumSecretLength = 16;

    /// <summary>The default maximum size of a delivery body: 256 KiB. Larger bodies are answered with 413.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>How far in the past a timestamp may lie by default: 5 minutes.</summary>
    public static readonly TimeSpan PastTolerance = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a timestamp may lie by default: 5 minutes.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>How long a claim on a delivery lasts without renewal by default: 10 seconds (renewed every third of it while handlers run).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivery id is remembered by default to acknowledge duplicates without dispatching: 24 hours.</summary>
    public static readonly TimeSpan DeduplicationWindow = TimeSpan.FromHours(24);
}
