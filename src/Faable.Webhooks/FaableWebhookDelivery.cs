using System.Text;

namespace Faable.Webhooks;

/// <summary>A verified delivery as the dispatcher hands it to a fallback handler.</summary>
public sealed class FaableWebhookDelivery
{
    internal FaableWebhookDelivery(string deliveryId, string eventType, DateTimeOffset timestamp, DateTimeOffset receivedAt, int attempt, ReadOnlyMemory<byte> body)
    {
        DeliveryId = deliveryId;
        EventType = eventType;
        Timestamp = timestamp;
        ReceivedAt = receivedAt;
        Attempt = attempt;
        Body = body;
    }

    /// <summary>Gets the delivery id (the body's <c>id</c>).</summary>
    public string DeliveryId { get; }

    /// <summary>Gets the event type (the body's <c>type</c>).</summary>
    public string EventType { get; }

    /// <summary>Gets the signed <c>X-Faable-Timestamp</c>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets when this service accepted the delivery.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets the attempt number, starting at 1.</summary>
    public int Attempt { get; }

    /// <summary>Gets the raw body bytes, exactly as signed.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the body as text (UTF-8).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);
}
