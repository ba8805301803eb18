using System.Text.Json;
using System.Text.Json.Serialization;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Events;

/// <summary>A user was deleted: <c>user.deleted</c>.</summary>
public sealed class UserDeleted : FaableWebhookEvent
{
    /// <summary>Creates the event with its <see cref="FaableWebhookEvent.Type"/> set to <c>user.deleted</c>.</summary>
    public UserDeleted()
        : base(FaableWebhookEventTypes.UserDeleted)
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
