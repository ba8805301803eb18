using System.Collections.Concurrent;

namespace Faable.Webhooks.Internal;

/// <summary>Tells whoever waits for a delivery how this instance's next attempt at it ended. Keeps nothing nobody waits for.</summary>
internal sealed class WebhookDispatchSignals
{
    private readonly ConcurrentDictionary<string, List<TaskCompletionSource<FaableWebhookDispatchResult>>> _waiters = new(StringComparer.Ordinal);

    public async Task<FaableWebhookDispatchResult> WaitAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<FaableWebhookDispatchResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var list = _waiters.GetOrAdd(deliveryId, _ => []);
        lock (list)
        {
            list.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (list)
            {
                list.Remove(waiter);
                if (list.Count == 0)
                {
                    _waiters.TryRemove(new KeyValuePair<string, List<TaskCompletionSource<FaableWebhookDispatchResult>>>(deliveryId, list));
                }
            }
        }
    }

    public void Publish(FaableWebhookDispatchResult result)
    {
        if (!_waiters.TryGetValue(result.DeliveryId, out var list))
        {
            return;
        }

        lock (list)
        {
            foreach (var waiter in list)
            {
                waiter.TrySetResult(result);
            }
        }
    }
}
