namespace Faable.Webhooks;

/// <summary>
/// The four Faable webhook headers of one delivery, independent of any HTTP stack. A header sent more than once
/// must be passed as its values joined with a comma, which no check accepts.
/// </summary>
/// <param name="Timestamp">The <c>X-Faable-Timestamp</c> value, or <see langword="null"/> when absent.</param>
/// <param name="Signature">The <c>X-Faable-Signature</c> value, or <see langword="null"/> when absent.</param>
/// <param name="EventType">The <c>X-Faable-Event</c> value, or <see langword="null"/> when absent.</param>
/// <param name="DeliveryId">The <c>X-Faable-Delivery</c> value, or <see langword="null"/> when absent.</param>
public sealed record FaableWebhookHeaders(string? Timestamp, string? Signature, string? EventType, string? DeliveryId)
{
    /// <summary>
    /// Reads the four headers from any name/values collection (for example <c>HttpRequestMessage.Headers</c>),
    /// matching names case-insensitively and joining repeated values with a comma.
    /// </summary>
    /// <param name="headers">The headers.</param>
    /// <returns>The Faable headers found.</returns>
    public static FaableWebhookHeaders From(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? timestamp = null, signature = null, eventType = null, deliveryId = null;
        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, FaableWebhookDefaults.TimestampHeader, StringComparison.OrdinalIgnoreCase))
            {
                timestamp = Join(timestamp, values);
            }
            else if (string.Equals(name, FaableWebhookDefaults.SignatureHeader, StringComparison.OrdinalIgnoreCase))
            {
                signature = Join(signature, values);
            }
            else if (string.Equals(name, FaableWebhookDefaults.EventHeader, StringComparison.OrdinalIgnoreCase))
            {
                eventType = Join(eventType, values);
            }
            else if (string.Equals(name, FaableWebhookDefaults.DeliveryHeader, StringComparison.OrdinalIgnoreCase))
            {
                deliveryId = Join(deliveryId, values);
            }
        }

        return new FaableWebhookHeaders(timestamp, signature, eventType, deliveryId);
    }

    private static string? Join(string? existing, IEnumerable<string> values)
    {
        var joined = string.Join(',', values);
        return existing is null ? joined : existing + "," + joined;
    }
}
