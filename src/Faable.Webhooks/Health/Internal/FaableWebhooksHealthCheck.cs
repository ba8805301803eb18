using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Faable.Webhooks.Health.Internal;

/// <summary>
/// Reads the inbox through the configured store (memory or Redis): unhealthy when it cannot be read, degraded with
/// dead letters or a backlog above the threshold.
/// </summary>
internal sealed class FaableWebhooksHealthCheck(IFaableWebhookInbox inbox, FaableWebhooksHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long backlog;
        int deadLetters;
        try
        {
            backlog = await inbox.GetBacklogAsync(cancellationToken).ConfigureAwait(false);
            deadLetters = (await inbox.GetDeadLettersAsync(options.DegradedDeadLetters, cancellationToken).ConfigureAwait(false)).Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The webhook inbox cannot be read ({ex.GetType().Name}); deliveries are answered 503.", ex);
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["backlog"] = backlog,
            ["dead_letters"] = deadLetters >= options.DegradedDeadLetters ? $">= {deadLetters}" : deadLetters.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var problems = new List<string>();
        if (deadLetters >= options.DegradedDeadLetters)
        {
            problems.Add($"{(deadLetters == options.DegradedDeadLetters ? "at least " : string.Empty)}{deadLetters} dead letter(s) to replay or delete");
        }

        if (backlog >= options.DegradedBacklog)
        {
            problems.Add($"a backlog of {backlog} deliveries (threshold {options.DegradedBacklog})");
        }

        return problems.Count > 0
            ? HealthCheckResult.Degraded($"The webhook inbox has {string.Join(" and ", problems)}.", data: data)
            : HealthCheckResult.Healthy($"Backlog {backlog}, no dead letters.", data);
    }
}
