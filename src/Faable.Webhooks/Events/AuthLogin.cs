using System.Text.Json;
using System.Text.Json.Serialization;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Events;

/// <summary>A user logged in: <c>auth.login</c>.</summary>
public sealed class AuthLogin : FaableWebhookEvent
{
    /// <summary>Creates the event with its <see cref="FaableWebhookEvent.Type"/> set to <c>auth.login</c>.</summary>
    public AuthLogin()
        : base(FaableWebhookEventTypes.AuthLogin)
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
