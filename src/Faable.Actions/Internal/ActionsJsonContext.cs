using System.Text.Json.Serialization;
using Faable.Actions.Stores;

namespace Faable.Actions.Internal;

/// <summary>Source-generated serialization of what the stores persist.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PausedFlow))]
[JsonSerializable(typeof(ActionBlock))]
internal sealed partial class ActionsJsonContext : JsonSerializerContext;
