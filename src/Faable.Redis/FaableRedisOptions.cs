using StackExchange.Redis;

namespace Faable.Redis;

/// <summary>
/// Where a Faable package keeps its shared state in Redis: the webhook inbox and de-duplication (Faable.Webhooks),
/// paused logins, <c>blockFor</c> verdicts and <c>deny_count</c> counters (Faable.Actions). Set with
/// <c>.UseRedis(…)</c> on the package's builder, or with a <c>Redis</c> section under the section the package binds
/// (<c>Faable:Webhooks:Redis:Configuration</c>, <c>Faable:Actions:Redis:Configuration</c>). Property names are the
/// configuration keys.
/// </summary>
public sealed class FaableRedisOptions
{
    /// <summary>The longest <see cref="KeyPrefix"/> accepted: 128 characters.</summary>
    public const int MaxKeyPrefixLength = 128;

    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string the package connects with, for example
    /// <c>localhost:6379</c> or <c>redis-1:6379,password=…,ssl=true</c>. The connection is made on first use and
    /// keeps reconnecting in the background while Redis is unreachable.
    /// </summary>
    /// <value>No default: required unless <see cref="ConnectionMultiplexerFactory"/> is set.</value>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key the package writes. It must contain a Redis hash tag (a non-empty part in
    /// braces, such as <c>{shop:webhooks}</c>) so that all the package's keys share one hash slot and its atomic
    /// scripts also run on Redis Cluster; whatever follows the prefix (delivery ids, user ids) then never moves a key
    /// to another slot. It ends with <c>:</c> and has no whitespace nor control characters. Instances that share
    /// state use the same prefix; applications sharing one Redis use different ones.
    /// </summary>
    /// <value>
    /// <see langword="null"/>: the package's own, <c>{faable:webhooks}:</c> for Faable.Webhooks and
    /// <c>{faable:actions}:</c> for Faable.Actions.
    /// </value>
    public string? KeyPrefix { get; set; }

    /// <summary>
    /// Gets or sets a factory of the connection to use instead of one made from <see cref="Configuration"/>, for an
    /// application that already has an <see cref="IConnectionMultiplexer"/>. The package does not dispose a
    /// connection it did not make.
    /// </summary>
    /// <value><see langword="null"/>: the package connects with <see cref="Configuration"/>.</value>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }
}
