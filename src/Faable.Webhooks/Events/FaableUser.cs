using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faable.Webhooks.Events;

/// <summary>The user an event is about. Members Faable adds later are kept in <see cref="AdditionalProperties"/>.</summary>
public sealed class FaableUser
{
    /// <summary>Gets the user id (<c>user_id</c>).</summary>
    [JsonPropertyName("user_id")]
    [JsonRequired]
    public string UserId { get; init; } = string.Empty;

    /// <summary>Gets the email address, when the user has one.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>Gets whether the email address is verified, when Faable says.</summary>
    [JsonPropertyName("email_verified")]
    public bool? EmailVerified { get; init; }

    /// <summary>Gets the display name, when present.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Gets the picture URL, when present.</summary>
    [JsonPropertyName("picture")]
    public string? Picture { get; init; }

    /// <summary>Gets the application metadata, when present.</summary>
    [JsonPropertyName("app_metadata")]
    public JsonElement? AppMetadata { get; init; }

    /// <summary>Gets the user metadata, when present.</summary>
    [JsonPropertyName("user_metadata")]
    public JsonElement? UserMetadata { get; init; }

    /// <summary>Gets the members this type does not name.</summary>
    [JsonExtensionData]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "System.Text.Json fills extension data through a setter.")]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
