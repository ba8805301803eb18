using System.Text;

namespace Faable.Webhooks;

/// <summary>A delivery whose handlers failed on every attempt, kept for inspection and replay.</summary>
public sealed class FaableWebhookDeadLetter
{
    internal FaableWebhookDeadLetter(string deliveryId, string eventType, DateTimeOffset receivedAt, DateTimeOffset? deadLetteredAt, int attempts, string? lastError, ReadOnlyMemory<byte> body)
    {
        DeliveryId = deliveryId;
        EventType = eventType;
        ReceivedAt = receivedAt;
        DeadLetteredAt = deadLetteredAt;
        Attempts = attempts;
        LastError = lastError;
        Body = body;
    }

    /// <summary>Gets the delivery id.</summary>
    public string DeliveryId { get; }

    /// <summary>Gets the event type.</summary>
    public string EventType { get; }

    /// <summary>Gets when the delivery was accepted.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Gets when the delivery was dead-lettered.</summary>
    public DateTimeOffset? DeadLetteredAt { get; }

    /// <summary>Gets how many attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>Gets the last failure: the exception type and message.</summary>
    public string? LastError { get; }

    /// <summary>Gets the raw body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the body as text (UTF-8).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);
}
