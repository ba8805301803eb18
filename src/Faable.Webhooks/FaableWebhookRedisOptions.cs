namespace Faable.Webhooks;

/// <summary>Options of the Redis inbox and de-duplication store.</summary>
public sealed class FaableWebhookRedisOptions
{
    /// <summary>Gets or sets the StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</summary>
    /// <value>No default: required.</value>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key. The braces make all keys share one hash slot, so the atomic scripts also
    /// work on Redis Cluster.
    /// </summary>
    /// <value><c>{faable:webhooks}:</c>.</value>
    public string KeyPrefix { get; set; } = "{faable:webhooks}:";
}
