using System.Text;

namespace Orders;

/// <summary>One archived delivery.</summary>
/// <param name="DeliveryId">The delivery id.</param>
/// <param name="EventType">The event type.</param>
/// <param name="SecretId">The secret that verified it.</param>
/// <param name="Body">The raw body, as text.</param>
public sealed record ArchivedWebhook(string DeliveryId, string EventType, string? SecretId, string Body);

/// <summary>Keeps raw deliveries (the README examples' stand-in for an audit store).</summary>
public sealed class WebhookArchive
{
    private readonly List<ArchivedWebhook> _entries = [];

    /// <summary>What was saved, in order.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<ArchivedWebhook> Entries()
    {
        lock (_entries)
        {
            return [.. _entries];
        }
    }

    /// <summary>Saves a delivery.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="eventType">The event type.</param>
    /// <param name="secretId">The secret that verified it.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A completed task.</returns>
    public Task SaveAsync(string deliveryId, string eventType, string? secretId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_entries)
        {
            _entries.Add(new ArchivedWebhook(deliveryId, eventType, secretId, Encoding.UTF8.GetString(body.Span)));
        }

        return Task.CompletedTask;
    }
}
