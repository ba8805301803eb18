namespace Faable.Webhooks.Internal;

/// <summary>The name of this package's <see cref="Faable.Redis.FaableRedisOptions"/> and its default key prefix.</summary>
internal static class WebhookRedis
{
    public const string OptionsName = "Faable.Webhooks";
    public const string DefaultKeyPrefix = "{faable:webhooks}:";
}
