namespace Faable.Webhooks.Internal;

/// <summary>
/// The default store: everything in process memory. Lost when the process exits, not shared between instances.
/// </summary>
internal sealed class InMemoryInboxStore : IWebhookInboxStore, IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _queue = new();
    private readonly PriorityQueue<string, long> _scheduled = new();
    private readonly LinkedList<string> _dead = new();
    private readonly SemaphoreSlim _signal = new(0);
    private long _nextSweep;

    public InMemoryInboxStore(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    public Task<bool> TryAcceptAsync(InboxRecord record, TimeSpan deduplicationWindow, CancellationToken cancellationToken)
    {
        var now = Now();
        lock (_lock)
        {
            SweepSeen(now);
            if (_seen.TryGetValue(record.DeliveryId, out var expiry) && expiry > now)
            {
                return Task.FromResult(false);
            }

            _seen[record.DeliveryId] = now + (long)deduplicationWindow.TotalMilliseconds;
            _entries[record.DeliveryId] = new Entry(record);
            _queue.AddLast(record.DeliveryId);
        }

        Notify();
        return Task.FromResult(true);
    }

    public Task<InboxLease?> TryClaimAsync(TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = Now();
        lock (_lock)
        {
            while (_scheduled.TryPeek(out var id, out var due) && due <= now)
            {
                _scheduled.Dequeue();
                _queue.AddFirst(id);
            }

            foreach (var (id, entry) in _entries)
            {
                if (entry.LeaseToken is not null && entry.LeaseExpiry <= now)
                {
                    entry.LeaseToken = null;
                    _queue.AddFirst(id);
                }
            }

            while (_queue.First is { } node)
            {
                _queue.RemoveFirst();
                if (_entries.TryGetValue(node.Value, out var entry) && entry.LeaseToken is null && entry.Record.DeadLetteredAt is null)
                {
                    entry.LeaseToken = Guid.NewGuid().ToString("N");
                    entry.LeaseExpiry = now + (long)leaseDuration.TotalMilliseconds;
                    entry.Attempts++;
                    return Task.FromResult<InboxLease?>(new InboxLease(entry.Record, entry.Attempts, entry.LeaseToken));
                }
            }
        }

        return Task.FromResult<InboxLease?>(null);
    }

    public Task<bool> RenewAsync(InboxLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var now = Now();
        lock (_lock)
        {
            if (!Owns(lease, out var entry))
            {
                return Task.FromResult(false);
            }

            entry.LeaseExpiry = now + (long)leaseDuration.TotalMilliseconds;
            return Task.FromResult(true);
        }
    }

    public Task<bool> CompleteAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Owns(lease, out _) && _entries.Remove(lease.Record.DeliveryId));
        }
    }

    public Task<bool> ScheduleRetryAsync(InboxLease lease, DateTimeOffset dueAt, string error, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!Owns(lease, out var entry))
            {
                return Task.FromResult(false);
            }

            entry.LeaseToken = null;
            entry.Record.LastError = error;
            _scheduled.Enqueue(lease.Record.DeliveryId, dueAt.ToUnixTimeMilliseconds());
        }

        Notify();
        return Task.FromResult(true);
    }

    public Task<bool> DeadLetterAsync(InboxLease lease, string error, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!Owns(lease, out var entry))
            {
                return Task.FromResult(false);
            }

            entry.LeaseToken = null;
            entry.Record.LastError = error;
            entry.Record.DeadLetteredAt = Now();
            _dead.AddFirst(lease.Record.DeliveryId);
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Owns(lease, out var entry))
            {
                entry.LeaseToken = null;
                entry.Attempts--;
                _queue.AddFirst(lease.Record.DeliveryId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FaableWebhookDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<FaableWebhookDeadLetter> list = [.. _dead.Take(maxCount).Select(id => ToDeadLetter(_entries[id].Record, _entries[id].Attempts))];
            return Task.FromResult(list);
        }
    }

    public Task<bool> ReplayAsync(string deliveryId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_dead.Remove(deliveryId))
            {
                return Task.FromResult(false);
            }

            var entry = _entries[deliveryId];
            entry.Attempts = 0;
            entry.Record.DeadLetteredAt = null;
            _queue.AddLast(deliveryId);
        }

        Notify();
        return Task.FromResult(true);
    }

    public Task<bool> DeleteDeadLetterAsync(string deliveryId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_dead.Remove(deliveryId))
            {
                return Task.FromResult(false);
            }

            _entries.Remove(deliveryId);
            return Task.FromResult(true);
        }
    }

    public Task<long> GetBacklogAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult((long)(_entries.Count - _dead.Count));
        }
    }

    public async Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var wait = maxWait;
        lock (_lock)
        {
            if (_scheduled.TryPeek(out _, out var due))
            {
                var untilDue = TimeSpan.FromMilliseconds(Math.Max(0, due - Now()));
                wait = untilDue < wait ? untilDue : wait;
            }
        }

        using var timeout = new CancellationTokenSource(wait, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait elapsed: look for due work.
        }
    }

    public void Dispose() => _signal.Dispose();

    internal static FaableWebhookDeadLetter ToDeadLetter(InboxRecord record, int attempts) =>
        new(
            record.DeliveryId,
            record.EventType,
            DateTimeOffset.FromUnixTimeMilliseconds(record.ReceivedAt),
            record.DeadLetteredAt is { } dead ? DateTimeOffset.FromUnixTimeMilliseconds(dead) : null,
            attempts,
            record.LastError,
            record.Body);

    private bool Owns(InboxLease lease, out Entry entry)
    {
        return _entries.TryGetValue(lease.Record.DeliveryId, out entry!) && string.Equals(entry.LeaseToken, lease.Token, StringComparison.Ordinal);
    }

    private void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    private void SweepSeen(long now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + 60_000;
        foreach (var (id, expiry) in _seen)
        {
            if (expiry <= now)
            {
                _seen.Remove(id);
            }
        }
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Entry(InboxRecord record)
    {
        public InboxRecord Record { get; } = record;

        public int Attempts { get; set; }

        public string? LeaseToken { get; set; }

        public long LeaseExpiry { get; set; }
    }
}
