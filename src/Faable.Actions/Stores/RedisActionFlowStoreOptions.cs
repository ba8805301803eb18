namespace Faable.Actions.Stores;

/// <summary>
/// Settings of <see cref="RedisActionFlowStore"/>, bound from <c>Faable:Actions:Redis</c>. Property names are the
/// configuration keys (for example <c>Faable:Actions:Redis:KeyPrefix</c>).
/// </summary>
public sealed class RedisActionFlowStoreOptions
{
    /// <summary>The default <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "faable:actions:";

    /// <summary>Longest <see cref="KeyPrefix"/> accepted.</summary>
    public const int MaxKeyPrefixLength = 128;

    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string the store connects with, for example
    /// <c>localhost:6379</c> or <c>redis-1:6379,password=…,ssl=true</c>. Not needed when the store is given an
    /// existing connection.
    /// </summary>
    /// <value>No default: required unless a connection is given in code.</value>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key the store writes. Instances that must share paused flows, blocks and
    /// counters use the same prefix; applications sharing one Redis use different ones. Ends with <c>:</c>, has no
    /// whitespace nor control characters.
    /// </summary>
    /// <value><c>faable:actions:</c>.</value>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;
}
