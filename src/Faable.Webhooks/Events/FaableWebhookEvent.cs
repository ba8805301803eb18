using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faable.Webhooks.Events;

/// <summary>
/// The envelope every Faable event shares: <c>id</c>, <c>type</c>, <c>produced_at</c>. The typed events
/// (<see cref="UserCreated"/>, <see cref="UserUpdated"/>, <see cref="UserDeleted"/>, <see cref="AuthLogin"/>)
/// add their <c>payload</c>.
/// </summary>
public abstract class FaableWebhookEvent
{
    private protected FaableWebhookEvent(string type)
    {
        Type = type;
    }

    /// <summary>Gets the event id (<c>evt_…</c>), equal to the <c>X-Faable-Delivery</c> header.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets the event type, equal to the <c>X-Faable-Event</c> header.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; }

    /// <summary>Gets when Faable produced the event.</summary>
    [JsonPropertyName("produced_at")]
    public DateTimeOffset ProducedAt { get; init; }

    internal abstract void WritePayload(Utf8JsonWriter writer);
}
