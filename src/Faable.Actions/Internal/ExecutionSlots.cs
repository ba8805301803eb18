using System.Diagnostics.CodeAnalysis;

namespace Faable.Actions.Internal;

/// <summary>
/// The engine's cap on concurrent action runs (<see cref="ActionLimits.MaxConcurrentExecutions"/>). A run that gets
/// no slot within <see cref="ActionLimits.ConcurrencyWait"/> fails with <see cref="ActionLimitExceededException"/>
/// instead of queueing without end; the slot of a run that started is released however it ends.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim needs disposing only once its AvailableWaitHandle has been used, which this type never does; it lives as long as its engine.")]
internal sealed class ExecutionSlots
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly TimeSpan _wait;

    public ExecutionSlots(int capacity, TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _wait = wait;
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Slots free right now.</summary>
    public int Available => _slots.CurrentCount;

    /// <summary>Waits for a slot; the caller must <see cref="Release"/> it once the run is over.</summary>
    /// <exception cref="ActionLimitExceededException">No slot freed within the wait.</exception>
    public async Task EnterAsync(string actionName, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_wait, cancellationToken).ConfigureAwait(false))
        {
            throw new ActionLimitExceededException(
                actionName,
                nameof(ActionLimits.MaxConcurrentExecutions),
                $"{_capacity} actions were already running and none finished within {_wait.TotalMilliseconds:0} ms (Limits:ConcurrencyWait); the action did not start and the login fails closed. Raise Faable:Actions:Limits:MaxConcurrentExecutions or add instances.");
        }
    }

    public void Release() => _slots.Release();
}
