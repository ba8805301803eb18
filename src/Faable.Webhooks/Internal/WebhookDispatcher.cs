using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Internal;

/// <summary>
/// Takes verified deliveries out of the inbox one at a time and hands each to its handlers in a fresh DI scope;
/// failures are retried with bounded exponential back-off and finally dead-lettered.
/// </summary>
internal sealed class WebhookDispatcher : BackgroundService
{
    private readonly IWebhookInboxStore _store;
    private readonly WebhookHandlerRegistry _registry;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly IOptionsMonitor<FaableWebhookOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(
        IWebhookInboxStore store,
        WebhookHandlerRegistry registry,
        IServiceScopeFactory scopeFactory,
        IOptionsMonitor<FaableWebhookOptions> options,
        TimeProvider timeProvider,
        WebhookMetrics metrics,
        ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _registry = registry;
        _scopeFactory = scopeFactory;
        _options = options;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
    }

    internal static TimeSpan RetryDelay(int attempt, TimeSpan initial, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(initial.TotalMilliseconds * factor);
        return delay < max ? delay : max;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.CurrentValue;
        if (!options.DispatchEnabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(Enumerable.Range(0, options.MaxConcurrentDispatches).Select(_ => Task.Run(() => RunWorkerAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = _options.CurrentValue;
            try
            {
                var lease = await _store.TryClaimAsync(options.LeaseDuration, stoppingToken).ConfigureAwait(false);
                if (lease is null)
                {
                    _metrics.Backlog(await _store.GetBacklogAsync(stoppingToken).ConfigureAwait(false));
                    await _store.WaitForWorkAsync(options.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await ProcessAsync(lease, options, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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
                    return;
                }
            }
        }
    }

    private async Task ProcessAsync(InboxLease lease, FaableWebhookOptions options, CancellationToken stoppingToken)
    {
        var record = lease.Record;
        using var activity = WebhookActivities.StartDispatch(record.DeliveryId, record.EventType, lease.Attempt);
        using var timeout = new CancellationTokenSource(options.HandlerTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            await DispatchAsync(lease, linked.Token).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: give the delivery back untouched rather than count a failure.
            await _store.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            Log.Released(_logger, record.DeliveryId);
            return;
        }
        catch (Exception ex)
        {
            var error = $"{ex.GetType().FullName}: {ex.Message}";
            if (lease.Attempt >= options.MaxAttempts || ex is WebhookPayloadUnreadableException)
            {
                await _store.DeadLetterAsync(lease, error, CancellationToken.None).ConfigureAwait(false);
                _metrics.Dispatched("dead_lettered");
                Log.DeadLettered(_logger, record.DeliveryId, record.EventType, lease.Attempt, ex);
            }
            else
            {
                var delay = RetryDelay(lease.Attempt, options.InitialRetryDelay, options.MaxRetryDelay);
                await _store.ScheduleRetryAsync(lease, _timeProvider.GetUtcNow() + delay, error, CancellationToken.None).ConfigureAwait(false);
                _metrics.Dispatched("retried");
                _metrics.Retried();
                Log.HandlerFailed(_logger, record.DeliveryId, record.EventType, lease.Attempt, (long)delay.TotalMilliseconds, ex);
            }

            return;
        }

        await _store.CompleteAsync(lease, CancellationToken.None).ConfigureAwait(false);
        _metrics.Dispatched("succeeded");
        Log.Dispatched(_logger, record.DeliveryId, record.EventType, lease.Attempt);
    }

    private async Task DispatchAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        var record = lease.Record;
        var scope = _scopeFactory.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            System.Text.Json.JsonException? unreadable = null;
            if (WebhookHandlerRegistry.TryGetKnownType(record.EventType, out var clrType, out var read))
            {
                var handlers = _registry.HandlersFor(clrType);
                if (handlers.Count > 0)
                {
                    FaableWebhookEvent? webhookEvent = null;
                    try
                    {
                        webhookEvent = read(record.Body);
                    }
                    catch (System.Text.Json.JsonException ex)
                    {
                        Log.PayloadUnreadable(_logger, record.DeliveryId, record.EventType, ex);
                        unreadable = ex;
                    }

                    if (webhookEvent is not null)
                    {
                        foreach (var handler in handlers)
                        {
                            await handler(services, webhookEvent, cancellationToken).ConfigureAwait(false);
                        }

                        return;
                    }
                }
            }

            if (_registry.Fallbacks.Count == 0 && unreadable is not null)
            {
                throw new WebhookPayloadUnreadableException($"The payload could not be read as '{record.EventType}' and no fallback handler is registered.", unreadable);
            }

            if (_registry.Fallbacks.Count == 0)
            {
                Log.NoHandler(_logger, record.DeliveryId, record.EventType);
                return;
            }

            var delivery = new FaableWebhookDelivery(
                record.DeliveryId,
                record.EventType,
                DateTimeOffset.FromUnixTimeMilliseconds(record.Timestamp),
                DateTimeOffset.FromUnixTimeMilliseconds(record.ReceivedAt),
                lease.Attempt,
                record.Body);
            foreach (var fallback in _registry.Fallbacks)
            {
                await fallback(services, delivery, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
