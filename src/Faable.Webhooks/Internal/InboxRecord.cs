using System.Text.Json.Serialization;

namespace Faable.Webhooks.Internal;

/// <summary>A verified delivery as persisted in the inbox.</summary>
internal sealed class InboxRecord
{
    [JsonPropertyName("id")]
    public string DeliveryId { get; set; } = string.Empty;

    [JsonPropertyName("type")]
    public string EventType { get; set; } = string.Empty;

    [JsonPropertyName("ts")]
    public long Timestamp { get; set; }

    [JsonPropertyName("received")]
    public long ReceivedAt { get; set; }

    [JsonPropertyName("body")]
    public byte[] Body { get; set; } = [];

    [JsonPropertyName("secret")]
    public string? SecretId { get; set; }

    [JsonPropertyName("error")]
    public string? LastError { get; set; }

    [JsonPropertyName("dead")]
    public long? DeadLetteredAt { get; set; }
}
