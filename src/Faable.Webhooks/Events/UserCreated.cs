using System.Text.Json;
using System.Text.Json.Serialization;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Events;

/// <summary>A user was created: <c>user.created</c>.</summary>
public sealed class UserCreated : FaableWebhookEvent
{
    /// <summary>Creates the event with its <see cref="FaableWebhookEvent.Type"/> set to <c>user.created</c>.</summary>
    public UserCreated()
        : base(FaableWebhookEventTypes.UserCreated)
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
