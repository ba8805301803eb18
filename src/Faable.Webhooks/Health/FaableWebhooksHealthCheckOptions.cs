namespace Faable.Webhooks.Health;

/// <summary>Thresholds of the webhook inbox health check.</summary>
public sealed class FaableWebhooksHealthCheckOptions
{
    /// <summary>Gets or sets the backlog (deliveries accepted and not yet handled) from which the inbox is reported degraded.</summary>
    /// <value>1 000.</value>
    public int DegradedBacklog { get; set; } = 1_000;

    /// <summary>Gets or sets the number of dead letters from which the inbox is reported degraded.</summary>
    /// <value>1: any dead letter needs a look (replay or delete it through <see cref="IFaableWebhookInbox"/>).</value>
    public int DegradedDeadLetters { get; set; } = 1;
}
