using System.Net.Http.Headers;
using System.Text;

namespace Faable.Webhooks;

/// <summary>A delivery exactly as Faable sends it: the four headers and the raw body bytes.</summary>
public sealed class FaableWebhookSignedDelivery
{
    internal FaableWebhookSignedDelivery(string eventType, string deliveryId, string timestamp, string signature, ReadOnlyMemory<byte> body)
    {
        EventType = eventType;
        DeliveryId = deliveryId;
        Timestamp = timestamp;
        Signature = signature;
        Body = body;
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [FaableWebhookDefaults.EventHeader] = eventType,
            [FaableWebhookDefaults.DeliveryHeader] = deliveryId,
            [FaableWebhookDefaults.TimestampHeader] = timestamp,
            [FaableWebhookDefaults.SignatureHeader] = signature,
        };
    }

    /// <summary>Gets the <c>X-Faable-Event</c> value.</summary>
    public string EventType { get; }

    /// <summary>Gets the <c>X-Faable-Delivery</c> value.</summary>
    public string DeliveryId { get; }

    /// <summary>Gets the <c>X-Faable-Timestamp</c> value (Unix milliseconds as text).</summary>
    public string Timestamp { get; }

    /// <summary>Gets the <c>X-Faable-Signature</c> value (<c>sha256=&lt;hex&gt;</c>).</summary>
    public string Signature { get; }

    /// <summary>Gets the raw body bytes that were signed.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the body as text (UTF-8).</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>Gets the four Faable headers by name.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the headers in the form <see cref="FaableWebhookVerifier.Verify(ReadOnlySpan{byte}, FaableWebhookHeaders)"/> takes.</summary>
    /// <returns>The headers.</returns>
    public FaableWebhookHeaders ToHeaders() => new(Timestamp, Signature, EventType, DeliveryId);

    /// <summary>Builds the HTTP request Faable would send: <c>POST</c>, <c>application/json</c>, the four headers, the body.</summary>
    /// <param name="requestUri">The subscriber URL (absolute, or relative to an <see cref="HttpClient.BaseAddress"/>).</param>
    /// <returns>A new request; the caller owns it.</returns>
    public HttpRequestMessage CreateRequest(Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        var content = new ByteArrayContent(Body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, requestUri) { Content = content };
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
