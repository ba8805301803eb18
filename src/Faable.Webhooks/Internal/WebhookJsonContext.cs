using System.Text.Json.Serialization;
using Faable.Webhooks.Events;

namespace Faable.Webhooks.Internal;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserCreated))]
[JsonSerializable(typeof(UserUpdated))]
[JsonSerializable(typeof(UserDeleted))]
[JsonSerializable(typeof(AuthLogin))]
[JsonSerializable(typeof(FaableUserPayload))]
[JsonSerializable(typeof(InboxRecord))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
