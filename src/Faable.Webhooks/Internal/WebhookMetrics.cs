using System.Diagnostics.Metrics;

namespace Faable.Webhooks.Internal;

/// <summary>Instruments of the <c>Faable.Webhooks</c> meter.</summary>
internal sealed class WebhookMetrics
{
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _dispatches;
    private readonly Counter<long> _retries;
    private long _backlog;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(FaableWebhookDefaults.MeterName);
        _deliveries = meter.CreateCounter<long>("faable.webhooks.deliveries", "{delivery}", "Deliveries received, by outcome (accepted, duplicate, rejected) and error.type.");
        _dispatches = meter.CreateCounter<long>("faable.webhooks.dispatches", "{dispatch}", "Dispatch attempts, by outcome (succeeded, ignored, unhandled, retried, dead_lettered, lease_lost).");
        _retries = meter.CreateCounter<long>("faable.webhooks.retries", "{retry}", "Attempts that failed and were scheduled again.");
        meter.CreateObservableGauge("faable.webhooks.inbox.backlog", () => Volatile.Read(ref _backlog), "{delivery}", "Deliveries accepted and not yet handled, as last read by the dispatcher.");
    }

    public void Accepted()
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));
        WebhookActivities.Outcome("accepted", null);
    }

    public void Duplicate()
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
        WebhookActivities.Outcome("duplicate", null);
    }

    public void Rejected(string errorType)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"), new KeyValuePair<string, object?>("error.type", errorType));
        WebhookActivities.Outcome("rejected", errorType);
    }

    public void Dispatched(FaableWebhookDispatchOutcome outcome)
    {
        var tag = outcome switch
        {
            FaableWebhookDispatchOutcome.Handled => "succeeded",
            FaableWebhookDispatchOutcome.Ignored => "ignored",
            FaableWebhookDispatchOutcome.Unhandled => "unhandled",
            FaableWebhookDispatchOutcome.RetryScheduled => "retried",
            FaableWebhookDispatchOutcome.DeadLettered => "dead_lettered",
            _ => "lease_lost",
        };
        _dispatches.Add(1, new KeyValuePair<string, object?>("outcome", tag));
        WebhookActivities.Outcome(tag, outcome is FaableWebhookDispatchOutcome.Handled or FaableWebhookDispatchOutcome.Ignored ? null : tag);
    }

    public void Retried() => _retries.Add(1);

    public void Backlog(long value) => Volatile.Write(ref _backlog, value);
}
