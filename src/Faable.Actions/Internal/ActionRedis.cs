namespace Faable.Actions.Internal;

/// <summary>The name of this package's <see cref="Faable.Redis.FaableRedisOptions"/> and its default key prefix.</summary>
internal static class ActionRedis
{
    public const string OptionsName = "Faable.Actions";
    public const string DefaultKeyPrefix = "{faable:actions}:";
    public const string DefaultSection = "Faable:Actions:Redis";
}
