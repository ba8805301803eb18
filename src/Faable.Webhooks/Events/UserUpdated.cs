using System.Text.Json;
using System.Text.Json.Serialization;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Events;

/// <summary>A user was updated: <c>user.updated</c>.</summary>
public sealed class UserUpdated : FaableWebhookEvent
{
    /// <summary>Creates the event with its <see cref="FaableWebhookEvent.Type"/> set to <c>user.updated</c>.</summary>
    public UserUpdated()
        : base(FaableWebhookEventTypes.UserUpdated)
    {
    }

    /// <summary>Gets the payload.</summary>
    [JsonPropertyName("payload")]
    [JsonRequired]
    public FaableUserPayload Payload { get; init; } = new();

    /// <summary>Gets the payload's user.</summary>
    [JsonIgnore]
    public FaableUser User => Payload.User;

    internal override void WritePayload(Utf8JsonWriter writer) =>
        JsonSerializer.Serialize(writer, Payload, WebhookJsonContext.Default.FaableUserPayload);
}
