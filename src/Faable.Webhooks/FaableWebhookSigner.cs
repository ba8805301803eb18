using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Faable.Webhooks.Events;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks;

/// <summary>
/// Produces deliveries exactly as Faable sends them (body envelope, headers, HMAC-SHA256 signature over
/// <c>"&lt;timestamp&gt;.&lt;raw body&gt;"</c> with the secret's UTF-8 bytes), for tests and local tenants.
/// Thread-safe; needs no dependency injection.
/// </summary>
public sealed class FaableWebhookSigner
{
    private readonly WebhookHmacKey _key;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a signer that stamps deliveries with the system clock.</summary>
    /// <param name="secret">The subscription's secret, used exactly as written.</param>
    /// <exception cref="ArgumentException">The secret is empty, has whitespace at either end or is shorter than 16 characters.</exception>
    public FaableWebhookSigner(string secret)
        : this(secret, TimeProvider.System)
    {
    }

    /// <summary>Creates a signer.</summary>
    /// <param name="secret">The subscription's secret, used exactly as written.</param>
    /// <param name="timeProvider">The clock for <c>X-Faable-Timestamp</c> and <c>produced_at</c>.</param>
    /// <exception cref="ArgumentException">The secret is empty, has whitespace at either end or is shorter than 16 characters.</exception>
    public FaableWebhookSigner(string secret, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var validated = new FaableWebhookSecret("signer", secret);
        _key = new WebhookHmacKey(Encoding.UTF8.GetBytes(validated.Value));
        _timeProvider = timeProvider;
    }

    /// <summary>Makes a new delivery id in Faable's shape: <c>evt_</c> and 24 random hexadecimal characters.</summary>
    /// <returns>The id.</returns>
    public static string NewDeliveryId() => "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>
    /// Signs a typed event. An empty <see cref="FaableWebhookEvent.Id"/> gets a new id; a default
    /// <see cref="FaableWebhookEvent.ProducedAt"/> gets the current time.
    /// </summary>
    /// <param name="webhookEvent">The event.</param>
    /// <returns>The signed delivery.</returns>
    public FaableWebhookSignedDelivery Sign(FaableWebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var id = string.IsNullOrEmpty(webhookEvent.Id) ? NewDeliveryId() : webhookEvent.Id;
        var producedAt = webhookEvent.ProducedAt == default ? _timeProvider.GetUtcNow() : webhookEvent.ProducedAt;
        var body = WriteEnvelope(id, webhookEvent.Type, producedAt, webhookEvent.WritePayload);
        return SignBody(body, webhookEvent.Type, id);
    }

    /// <summary>Signs an event of any type, with the envelope built around a payload given as JSON.</summary>
    /// <param name="eventType">The event type, for example <c>user.created</c>.</param>
    /// <param name="deliveryId">The delivery id (<c>evt_…</c>); see <see cref="NewDeliveryId"/>.</param>
    /// <param name="payloadJson">The <c>payload</c> member's JSON, written as given.</param>
    /// <returns>The signed delivery.</returns>
    /// <exception cref="ArgumentException"><paramref name="payloadJson"/> is not valid JSON.</exception>
    public FaableWebhookSignedDelivery Sign(string eventType, string deliveryId, string payloadJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        ArgumentNullException.ThrowIfNull(payloadJson);
        byte[] body;
        try
        {
            body = WriteEnvelope(deliveryId, eventType, _timeProvider.GetUtcNow(), writer => writer.WriteRawValue(payloadJson));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The payload is not valid JSON.", nameof(payloadJson), ex);
        }

        return SignBody(body, eventType, deliveryId);
    }

    /// <summary>Signs exact body bytes, stamped with the current time. The body is not inspected.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="eventType">The <c>X-Faable-Event</c> value.</param>
    /// <param name="deliveryId">The <c>X-Faable-Delivery</c> value.</param>
    /// <returns>The signed delivery.</returns>
    public FaableWebhookSignedDelivery SignBody(ReadOnlyMemory<byte> body, string eventType, string deliveryId) =>
        SignBody(body, eventType, deliveryId, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>Signs exact body bytes with a given timestamp text (which may be anything, to build hostile deliveries).</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="eventType">The <c>X-Faable-Event</c> value.</param>
    /// <param name="deliveryId">The <c>X-Faable-Delivery</c> value.</param>
    /// <param name="timestamp">The <c>X-Faable-Timestamp</c> value, signed as written.</param>
    /// <returns>The signed delivery.</returns>
    public FaableWebhookSignedDelivery SignBody(ReadOnlyMemory<byte> body, string eventType, string deliveryId, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(timestamp);
        return new FaableWebhookSignedDelivery(eventType, deliveryId, timestamp, ComputeSignature(timestamp, body.Span), body.ToArray());
    }

    /// <summary>Computes <c>sha256=&lt;lowercase hex&gt;</c> of HMAC-SHA256(secret, <c>timestamp + "." + body</c>).</summary>
    /// <param name="timestamp">The timestamp text, signed as written.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The <c>X-Faable-Signature</c> value.</returns>
    public string ComputeSignature(string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        Span<byte> tag = stackalloc byte[WebhookHmacKey.HashSize];
        _key.Compute(Encoding.UTF8.GetBytes(timestamp), "."u8, body, tag);
        return FaableWebhookDefaults.SignaturePrefix + Convert.ToHexStringLower(tag);
    }

    /// <summary>Signs a typed event and builds the HTTP request Faable would send for it.</summary>
    /// <param name="requestUri">The subscriber URL.</param>
    /// <param name="webhookEvent">The event.</param>
    /// <returns>A new request; the caller owns it.</returns>
    public HttpRequestMessage CreateRequest(Uri requestUri, FaableWebhookEvent webhookEvent) => Sign(webhookEvent).CreateRequest(requestUri);

    /// <summary>Signs an event given as type, id and payload JSON and builds the HTTP request Faable would send for it.</summary>
    /// <param name="requestUri">The subscriber URL.</param>
    /// <param name="eventType">The event type.</param>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="payloadJson">The <c>payload</c> member's JSON.</param>
    /// <returns>A new request; the caller owns it.</returns>
    public HttpRequestMessage CreateRequest(Uri requestUri, string eventType, string deliveryId, string payloadJson) =>
        Sign(eventType, deliveryId, payloadJson).CreateRequest(requestUri);

    private static byte[] WriteEnvelope(string id, string type, DateTimeOffset producedAt, Action<Utf8JsonWriter> writePayload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, id);
            writer.WriteString("type"u8, type);
            writer.WriteString("produced_at"u8, producedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WritePropertyName("payload"u8);
            writePayload(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
