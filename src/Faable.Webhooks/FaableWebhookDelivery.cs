using System.Diagnostics.CodeAnalysis;
using System.Text;
using Faable.Webhooks.Events;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks;

/// <summary>
/// A verified delivery as the dispatcher hands it to delivery observers and fallback handlers. To unit-test such a
/// handler, build one with Faable.Testing's <c>FaableWebhookTestDeliveries</c>, which fills it in as the dispatcher
/// would.
/// </summary>
public sealed class FaableWebhookDelivery
{
    /// <summary>Creates a delivery. The dispatcher builds these from its inbox; tests build them to call a handler directly.</summary>
    /// <param name="deliveryId">The delivery id (the body's <c>id</c>).</param>
    /// <param name="eventType">The event type (the body's <c>type</c>).</param>
    /// <param name="timestamp">The signed <c>X-Faable-Timestamp</c>.</param>
    /// <param name="receivedAt">When the delivery was accepted.</param>
    /// <param name="attempt">The attempt number, starting at 1.</param>
    /// <param name="body">The raw body bytes, exactly as signed.</param>
    /// <param name="secretId">The id of the secret that verified the delivery, when known.</param>
    /// <exception cref="ArgumentException"><paramref name="deliveryId"/> or <paramref name="eventType"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    public FaableWebhookDelivery(string deliveryId, string eventType, DateTimeOffset timestamp, DateTimeOffset receivedAt, int attempt, ReadOnlyMemory<byte> body, string? secretId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        DeliveryId = deliveryId;
        EventType = eventType;
        Timestamp = timestamp;
        ReceivedAt = receivedAt;
        Attempt = attempt;
        Body = body;
        SecretId = secretId;
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

    /// <summary>
    /// Gets the id of the secret that verified the delivery (<c>default</c> for <see cref="FaableWebhookOptions.Secret"/>,
    /// otherwise its key in <see cref="FaableWebhookOptions.Secrets"/>), so a rotation can tell when the old secret
    /// is no longer used; <see langword="null"/> for deliveries accepted before this was recorded.
    /// </summary>
    public string? SecretId { get; }

    /// <summary>Reads the body as the typed event the dispatcher hands to typed handlers.</summary>
    /// <param name="webhookEvent">The event, for a known event type whose payload could be read.</param>
    /// <returns><see langword="false"/> for an event type this library does not know, or a payload that cannot be read as that type.</returns>
    public bool TryReadEvent([NotNullWhen(true)] out FaableWebhookEvent? webhookEvent)
    {
        webhookEvent = WebhookHandlerRegistry.TryGetKnownType(EventType, out _, out var read) ? WebhookEventReader.TryRead(read, Body, out _) : null;
        return webhookEvent is not null;
    }
}
