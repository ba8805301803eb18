using System.Text;
using Faable.Webhooks;
using Faable.Webhooks.Events;

namespace Faable.Testing;

/// <summary>
/// Builds what the webhook dispatcher hands to handlers, so a handler can be unit-tested without an endpoint: a
/// <see cref="FaableWebhookDelivery"/> for delivery observers and fallback handlers, or the typed event for
/// <c>IFaableWebhookHandler&lt;TEvent&gt;</c>, from an event or from the raw JSON Faable sends.
/// </summary>
/// <remarks>
/// The body is signed and verified as a real delivery would be, so a JSON document the endpoint would refuse (no
/// string <c>id</c> or <c>type</c>, not UTF-8) is refused here too, with the verifier's reason.
/// </remarks>
public static class FaableWebhookTestDeliveries
{
    private const string Secret = "whsec_faable_testing_deliveries";

    /// <summary>Builds the delivery of an event, with the body exactly as Faable serializes it.</summary>
    /// <param name="webhookEvent">The event; an empty <see cref="FaableWebhookEvent.Id"/> gets a fresh <c>evt_…</c> id.</param>
    /// <param name="attempt">The attempt number the handler sees.</param>
    /// <param name="secretId">The id of the secret the delivery is reported as verified with.</param>
    /// <param name="timeProvider">The clock for the timestamp and the receipt time; the system clock when <see langword="null"/>.</param>
    /// <returns>The delivery.</returns>
    public static FaableWebhookDelivery Create(FaableWebhookEvent webhookEvent, int attempt = 1, string? secretId = "default", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var time = timeProvider ?? TimeProvider.System;
        return ToDelivery(new FaableWebhookSigner(Secret, time).Sign(webhookEvent), attempt, secretId, time);
    }

    /// <summary>Builds the delivery of a raw JSON body, byte for byte (its <c>id</c> and <c>type</c> name the delivery).</summary>
    /// <param name="json">The whole body, for example <c>{"id":"evt_1","type":"user.created","payload":{…}}</c>.</param>
    /// <param name="attempt">The attempt number the handler sees.</param>
    /// <param name="secretId">The id of the secret the delivery is reported as verified with.</param>
    /// <param name="timeProvider">The clock for the timestamp and the receipt time; the system clock when <see langword="null"/>.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="ArgumentException">The body is not one the endpoint would accept; the message names the reason.</exception>
    public static FaableWebhookDelivery FromJson(string json, int attempt = 1, string? secretId = "default", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var time = timeProvider ?? TimeProvider.System;
        var body = Encoding.UTF8.GetBytes(json);
        var (id, type) = ReadIdentity(body);
        return ToDelivery(new FaableWebhookSigner(Secret, time).SignBody(body, type, id), attempt, secretId, time);
    }

    /// <summary>Reads a raw JSON body as the typed event the dispatcher hands to <c>IFaableWebhookHandler&lt;TEvent&gt;</c>.</summary>
    /// <typeparam name="TEvent">The event type the body's <c>type</c> maps to (or a base type of it).</typeparam>
    /// <param name="json">The whole body.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentException">The body is not one the endpoint would accept, its type is not a known <typeparamref name="TEvent"/>, or its payload cannot be read as that type (the dispatcher would hand it to fallback handlers instead).</exception>
    public static TEvent ReadEvent<TEvent>(string json)
        where TEvent : FaableWebhookEvent
    {
        var delivery = FromJson(json);
        if (!delivery.TryReadEvent(out var webhookEvent))
        {
            throw new ArgumentException($"A '{delivery.EventType}' body is not read as a typed event (an unknown type, or a payload of the wrong shape); the dispatcher would hand it to fallback handlers.", nameof(json));
        }

        return webhookEvent as TEvent
            ?? throw new ArgumentException($"The body's type '{delivery.EventType}' is read as {webhookEvent.GetType().Name}, not {typeof(TEvent).Name}.", nameof(json));
    }

    private static (string Id, string Type) ReadIdentity(byte[] body)
    {
        // Sign with placeholder headers, then let the verifier read the identity from the signed body.
        var probe = new FaableWebhookSigner(Secret).SignBody(body, "placeholder", "placeholder");
        var result = new FaableWebhookVerifier(Secret).Verify(body, probe.ToHeaders());
        if (result.EventType is null || result.DeliveryId is null)
        {
            throw new ArgumentException($"The endpoint would refuse this body: {result.FailureReason} (a JSON object with non-empty string members 'id' and 'type' is required).");
        }

        return (result.DeliveryId, result.EventType);
    }

    private static FaableWebhookDelivery ToDelivery(FaableWebhookSignedDelivery signed, int attempt, string? secretId, TimeProvider time)
    {
        var result = new FaableWebhookVerifier(Secret, time).Verify(signed.Body, signed.ToHeaders());
        if (!result.IsValid)
        {
            throw new ArgumentException($"The endpoint would refuse this delivery: {result.FailureReason}.");
        }

        return new FaableWebhookDelivery(
            signed.DeliveryId,
            signed.EventType,
            DateTimeOffset.FromUnixTimeMilliseconds(result.Timestamp!.Value),
            time.GetUtcNow(),
            attempt,
            signed.Body,
            secretId);
    }
}
