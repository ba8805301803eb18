using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faable.Webhooks.Events;

/// <summary>The <c>payload</c> of the user and login events: <c>{"user": {…}}</c>, plus whatever else Faable sends.</summary>
public sealed class FaableUserPayload
{
    /// <summary>Gets the user.</summary>
    [JsonPropertyName("user")]
    [JsonRequired]
    public FaableUser User { get; init; } = new();

    /// <summary>Gets the members this type does not name.</summary>
    [JsonExtensionData]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2227:Collection properties should be read only", Justification = "System.Text.Json fills extension data through a setter.")]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
