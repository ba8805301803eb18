using Faable.Webhooks;
using Faable.Webhooks.Health;
using Faable.Webhooks.Health.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health check of the Faable webhook inbox.</summary>
public static class FaableWebhooksHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "faable_webhooks_inbox";

    /// <summary>
    /// Adds the check <c>faable_webhooks_inbox</c>: unhealthy when the inbox store (memory or Redis) cannot be read,
    /// degraded with dead letters or a backlog of 1 000 or more, healthy otherwise. Requires <c>AddFaableWebhooks</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddFaableWebhooksHealthCheck(this IHealthChecksBuilder builder) =>
        AddFaableWebhooksHealthCheck(builder, DefaultName, _ => { }, null);

    /// <summary>Adds the inbox check with a name, thresholds and tags of your choice.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="configure">Sets the thresholds.</param>
    /// <param name="tags">Tags to filter checks by, or <see langword="null"/>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is below 1.</exception>
    public static IHealthChecksBuilder AddFaableWebhooksHealthCheck(
        this IHealthChecksBuilder builder,
        string name,
        Action<FaableWebhooksHealthCheckOptions> configure,
        IEnumerable<string>? tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new FaableWebhooksHealthCheckOptions();
        configure(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DegradedBacklog, 1, nameof(configure));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DegradedDeadLetters, 1, nameof(configure));
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new FaableWebhooksHealthCheck(sp.GetRequiredService<IFaableWebhookInbox>(), options),
            HealthStatus.Unhealthy,
            tags,
            TimeSpan.FromSeconds(10)));
    }
}
