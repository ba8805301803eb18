using System.Collections.Concurrent;

namespace Faable.Actions.Stores;

/// <summary>
/// The default <see cref="IActionFlowStore"/>: one process, thread-safe, compare-and-delete exact
/// (<see cref="ConcurrentDictionary{TKey, TValue}.TryRemove(TKey, out TValue)"/>). Entries are forgotten after
/// their time to live, measured on the given clock.
/// </summary>
public sealed class InMemoryActionFlowStore : IActionFlowStore
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry<byte[]>> _flows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<ActionBlock>> _blocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string UserId, string ActionName), Entry<int>> _denyCounts = new();
    private int _writes;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock entries expire by; use the engine's clock. Defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryActionFlowStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(payload);
        _flows[key] = new Entry<byte[]>(payload.ToArray(), Expiry(timeToLive));
        Sweep();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(_flows.TryGetValue(key, out var entry) && Live(entry) ? entry.Value.ToArray() : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(_flows.TryRemove(key, out var entry) && Live(entry));
    }

    /// <inheritdoc />
    public ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ValueTask.FromResult(_blocks.TryGetValue(userId, out var entry) && Live(entry) ? entry.Value : null);
    }

    /// <inheritdoc />
    public ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(block);
        var entry = new Entry<ActionBlock>(block, Expiry(timeToLive));
        _blocks.AddOrUpdate(userId, entry, (_, existing) => existing.Value.BlockedUntil >= block.BlockedUntil ? existing : entry);
        Sweep();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(actionName);
        return ValueTask.FromResult(_denyCounts.TryGetValue((userId, actionName), out var entry) && Live(entry) ? entry.Value : 0);
    }

    /// <inheritdoc />
    public ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(actionName);
        var expiry = Expiry(window);
        var entry = _denyCounts.AddOrUpdate(
            (userId, actionName),
            static (_, e) => new Entry<int>(1, e),
            (_, old, e) => new Entry<int>(Live(old, _time) ? old.Value + 1 : 1, e),
            expiry);
        Sweep();
        return ValueTask.FromResult(entry.Value);
    }

    private DateTimeOffset Expiry(TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, "A time to live is positive.");
        }

        return _time.GetUtcNow() + timeToLive;
    }

    private bool Live<T>(Entry<T> entry) => Live(entry, _time);

    private static bool Live<T>(Entry<T> entry, TimeProvider time) => entry.ExpiresAt > time.GetUtcNow();

    private void Sweep()
    {
        // Amortized: a full pass every 1024 writes keeps memory bounded without a timer.
        if (Interlocked.Increment(ref _writes) % 1024 != 0)
        {
            return;
        }

        foreach (var pair in _flows)
        {
            if (!Live(pair.Value))
            {
                _flows.TryRemove(pair);
            }
        }

        foreach (var pair in _blocks)
        {
            if (!Live(pair.Value))
            {
                _blocks.TryRemove(pair);
            }
        }

        foreach (var pair in _denyCounts)
        {
            if (!Live(pair.Value))
            {
                _denyCounts.TryRemove(pair);
            }
        }
    }

    private sealed record Entry<T>(T Value, DateTimeOffset ExpiresAt);
}
