using Microsoft.Extensions.Logging;

namespace Faable.Webhooks.Internal;

/// <summary>The public face of the inbox store.</summary>
internal sealed class WebhookInbox : IFaableWebhookInbox
{
    private readonly IWebhookInboxStore _store;
    private readonly WebhookDispatchSignals _signals;
    private readonly ILogger<WebhookInbox> _logger;

    public WebhookInbox(IWebhookInboxStore store, WebhookDispatchSignals signals, ILogger<WebhookInbox> logger)
    {
        _store = store;
        _signals = signals;
        _logger = logger;
    }

    public Task<IReadOnlyList<FaableWebhookDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return _store.GetDeadLettersAsync(maxCount, cancellationToken);
    }

    public async Task<bool> ReplayAsync(string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        var replayed = await _store.ReplayAsync(deliveryId, cancellationToken).ConfigureAwait(false);
        if (replayed)
        {
            Log.Replayed(_logger, deliveryId);
        }

        return replayed;
    }

    public Task<bool> DeleteDeadLetterAsync(string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        return _store.DeleteDeadLetterAsync(deliveryId, cancellationToken);
    }

    public Task<long> GetBacklogAsync(CancellationToken cancellationToken) => _store.GetBacklogAsync(cancellationToken);

    public Task<FaableWebhookDispatchResult> WaitForDispatchAsync(string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        return _signals.WaitAsync(deliveryId, cancellationToken);
    }
}
