namespace Faable.Testing;

/// <summary>One webhook delivery attempt made by the local tenant (there are no retries).</summary>
public sealed record FaableLocalWebhookDelivery
{
    /// <summary>The event type (<c>X-Faable-Event</c>).</summary>
    public required string EventType { get; init; }

    /// <summary>The delivery id (<c>X-Faable-Delivery</c>, <c>evt_…</c>).</summary>
    public required string DeliveryId { get; init; }

    /// <summary>The subscriber URL.</summary>
    public required string Url { get; init; }

    /// <summary>The raw body that was signed and sent.</summary>
    public required string Body { get; init; }

    /// <summary>The <c>X-Faable-Timestamp</c> value (Unix milliseconds).</summary>
    public required string Timestamp { get; init; }

    /// <summary>The HTTP status the subscriber answered, or <see langword="null"/> when no answer came.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why the delivery failed (timeout, connection error, non-2xx), or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the subscriber answered 2xx within the 5-second timeout.</summary>
    public bool Succeeded => Error is null;
}
