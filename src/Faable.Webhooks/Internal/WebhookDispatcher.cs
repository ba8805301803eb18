using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Internal;

/// <summary>
/// Takes verified deliveries out of the inbox one at a time and hands each to its observers and handlers in a fresh
/// DI scope, renewing the claim (lease) while they run; failures are retried with bounded exponential back-off and
/// finally dead-lettered.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    private readonly IWebhookInboxStore _store;
    private readonly WebhookHandlerRegistry _registry;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptionsMonitor<FaableWebhookOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly WebhookMetrics _metrics;
    private readonly WebhookDispatchSignals _signals;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(
        IWebhookInboxStore store,
        WebhookHandlerRegistry registry,
        IServiceScopeFactory scopeFactory,
        IOptionsMonitor<FaableWebhookOptions> options,
        TimeProvider timeProvider,
        WebhookMetrics metrics,
        WebhookDispatchSignals signals,
        ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _registry = registry;
        _scopeFactory = scopeFactory;
        _options = options;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _signals = signals;
        _logger = logger;
    }

    internal static TimeSpan RetryDelay(int attempt, TimeSpan initial, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(initial.TotalMilliseconds * factor);
        return delay < max ? delay : max;
    }

    /// <summary>How often a claim is renewed while its handlers run: three times per lease, so one slow renewal does not lose it.</summary>
    internal static TimeSpan HeartbeatInterval(TimeSpan leaseDuration) => leaseDuration / 3;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.CurrentValue;
        if (!options.DispatchEnabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(Enumerable.Range(0, options.MaxConcurrentDispatches).Select(_ => Task.Run(() => RunWorkerAsync(stoppingToken), CancellationToken.None)));
    }

    private static string Describe(Exception ex) => $"{ex.GetType().FullName}: {ex.Message}";

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        // A delivery claimed together with the completion of the previous one (one store step per delivery).
        InboxLease? next = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = _options.CurrentValue;
            try
            {
                var lease = next ?? await _store.TryClaimAsync(options.LeaseDuration, stoppingToken).ConfigureAwait(false);
                next = null;
                if (lease is null)
                {
                    _metrics.Backlog(await _store.GetBacklogAsync(stoppingToken).ConfigureAwait(false));
                    await _store.WaitForWorkAsync(options.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                next = await ProcessAsync(lease, options, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.DispatcherError(_logger, (long)options.PollInterval.TotalMilliseconds, ex);
                try
                {
                    await Task.Delay(options.PollInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        if (next is not null)
        {
            // Claimed as the host began to stop, never started: give it back untouched.
            await _store.ReleaseAsync(next, CancellationToken.None).ConfigureAwait(false);
            Log.Released(_logger, next.Record.DeliveryId);
        }
    }

    /// <summary>Dispatches one claimed delivery and settles it; returns the next delivery when completing it claimed one.</summary>
    private async Task<InboxLease?> ProcessAsync(InboxLease lease, FaableWebhookOptions options, CancellationToken stoppingToken)
    {
        var record = lease.Record;
        using var activity = WebhookActivities.StartDispatch(record.DeliveryId, record.EventType, lease.Attempt);
        using var timeout = new CancellationTokenSource(options.HandlerTimeout, _timeProvider);
        using var leaseLost = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken, leaseLost.Token);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(lease, options.LeaseDuration, leaseLost, stopHeartbeat.Token);
        FaableWebhookDispatchOutcome outcome;
        Exception? failure = null;
        try
        {
            outcome = await DispatchAsync(lease, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            outcome = FaableWebhookDispatchOutcome.RetryScheduled;
            failure = ex;
        }
        finally
        {
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        if (failure is not null && stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: give the delivery back untouched rather than count a failure.
            await _store.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            Log.Released(_logger, record.DeliveryId);
            return null;
        }

        if (leaseLost.IsCancellationRequested)
        {
            // Another instance holds the delivery now and settles it; whatever this attempt did is not recorded here.
            Finish(lease, FaableWebhookDispatchOutcome.LeaseLost, failure);
            return null;
        }

        if (failure is null)
        {
            bool completed;
            InboxLease? next = null;
            if (stoppingToken.IsCancellationRequested)
            {
                completed = await _store.CompleteAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                (completed, next) = await _store.CompleteAndClaimAsync(lease, options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
            }

            if (completed)
            {
                Finish(lease, outcome, null);
            }
            else
            {
                Log.CompletedAfterLeaseLost(_logger, record.DeliveryId, record.EventType, lease.Attempt);
                Finish(lease, FaableWebhookDispatchOutcome.LeaseLost, null);
            }

            return next;
        }

        var error = Describe(failure);
        if (lease.Attempt >= options.MaxAttempts || failure is WebhookPayloadUnreadableException)
        {
            if (!await _store.DeadLetterAsync(lease, error, CancellationToken.None).ConfigureAwait(false))
            {
                Log.FailedAfterLeaseLost(_logger, record.DeliveryId, record.EventType, lease.Attempt, failure);
                Finish(lease, FaableWebhookDispatchOutcome.LeaseLost, failure);
                return null;
            }

            Log.DeadLettered(_logger, record.DeliveryId, record.EventType, lease.Attempt, failure);
            Finish(lease, FaableWebhookDispatchOutcome.DeadLettered, failure);
            return null;
        }

        var delay = RetryDelay(lease.Attempt, options.InitialRetryDelay, options.MaxRetryDelay);
        if (!await _store.ScheduleRetryAsync(lease, _timeProvider.GetUtcNow() + delay, error, CancellationToken.None).ConfigureAwait(false))
        {
            Log.FailedAfterLeaseLost(_logger, record.DeliveryId, record.EventType, lease.Attempt, failure);
            Finish(lease, FaableWebhookDispatchOutcome.LeaseLost, failure);
            return null;
        }

        _metrics.Retried();
        Log.HandlerFailed(_logger, record.DeliveryId, record.EventType, lease.Attempt, (long)delay.TotalMilliseconds, failure);
        Finish(lease, FaableWebhookDispatchOutcome.RetryScheduled, failure);
        return null;
    }

    private void Finish(InboxLease lease, FaableWebhookDispatchOutcome outcome, Exception? failure)
    {
        var record = lease.Record;
        switch (outcome)
        {
            case FaableWebhookDispatchOutcome.Handled:
                Log.Dispatched(_logger, record.DeliveryId, record.EventType, lease.Attempt);
                break;
            case FaableWebhookDispatchOutcome.Ignored:
                Log.Ignored(_logger, record.DeliveryId, record.EventType);
                break;
            case FaableWebhookDispatchOutcome.Unhandled:
                Log.NoHandler(_logger, record.DeliveryId, record.EventType);
                break;
        }

        _metrics.Dispatched(outcome);
        _signals.Publish(new FaableWebhookDispatchResult(record.DeliveryId, record.EventType, lease.Attempt, outcome, failure is null ? null : Describe(failure)));
    }

    /// <summary>
    /// Renews the lease while the handlers run, so a long handler keeps its delivery and a crashed instance's
    /// delivery comes back after one short lease. A renewal refused means another instance took the delivery over:
    /// the handlers are cancelled, since that instance runs them again.
    /// </summary>
    private async Task HeartbeatAsync(InboxLease lease, TimeSpan leaseDuration, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var interval = HeartbeatInterval(leaseDuration);
        while (true)
        {
            try
            {
                // Stopped without an exception: the heartbeat of every delivery ends this way, most before their first
                // renewal, and a thrown cancellation per delivery was about 1 % of the dispatcher's CPU.
                await Task.Delay(interval, _timeProvider, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (!await _store.RenewAsync(lease, leaseDuration, stop).ConfigureAwait(false))
                {
                    Log.LeaseLost(_logger, lease.Record.DeliveryId, lease.Record.EventType, lease.Attempt);
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unreachable: keep trying; if the lease runs out meanwhile, the next renewal says so.
                Log.LeaseRenewalFailed(_logger, lease.Record.DeliveryId, ex);
            }
        }
    }

    private async Task<FaableWebhookDispatchOutcome> DispatchAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        var record = lease.Record;
        var delivery = new FaableWebhookDelivery(
            record.DeliveryId,
            record.EventType,
            DateTimeOffset.FromUnixTimeMilliseconds(record.Timestamp),
            DateTimeOffset.FromUnixTimeMilliseconds(record.ReceivedAt),
            lease.Attempt,
            record.Body,
            record.SecretId);
        var scope = _scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            foreach (var observer in _registry.Observers)
            {
                await observer(services, delivery, cancellationToken).ConfigureAwait(false);
            }

            Exception? unreadable = null;
            var known = WebhookHandlerRegistry.TryGetKnownType(record.EventType, out var clrType, out var read);
            if (known)
            {
                var handlers = _registry.HandlersFor(clrType);
                if (handlers.Count > 0)
                {
                    var webhookEvent = WebhookEventReader.TryRead(read, record.Body, out unreadable);
                    if (webhookEvent is not null)
                    {
                        foreach (var handler in handlers)
                        {
                            await handler(services, webhookEvent, cancellationToken).ConfigureAwait(false);
                        }

                        return FaableWebhookDispatchOutcome.Handled;
                    }

                    Log.PayloadUnreadable(_logger, record.DeliveryId, record.EventType, unreadable!);
                }
            }

            if (_registry.Fallbacks.Count == 0)
            {
                if (unreadable is not null)
                {
                    throw new WebhookPayloadUnreadableException($"The payload could not be read as '{record.EventType}' and no fallback handler is registered.", unreadable);
                }

                return known && _registry.IsIgnored(clrType) ? FaableWebhookDispatchOutcome.Ignored
                    : _registry.Observers.Count > 0 ? FaableWebhookDispatchOutcome.Handled
                    : FaableWebhookDispatchOutcome.Unhandled;
            }

            foreach (var fallback in _registry.Fallbacks)
            {
                await fallback(services, delivery, cancellationToken).ConfigureAwait(false);
            }

            return FaableWebhookDispatchOutcome.Handled;
        }
    }
}
