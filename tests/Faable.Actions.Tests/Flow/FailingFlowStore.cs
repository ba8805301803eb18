using Faable.Actions.Stores;

namespace Faable.Actions.Tests.Flow;

/// <summary>An in-memory store that throws on one chosen operation, as a store does when its backend is down.</summary>
internal sealed class FailingFlowStore(InMemoryActionFlowStore inner) : IActionFlowStore
{
    public string? FailOn { get; set; }

    public Exception Failure { get; set; } = new InvalidOperationException("backend unreachable");

    public ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Check("SaveFlowState");
        return inner.SaveFlowStateAsync(key, payload, timeToLive, cancellationToken);
    }

    public ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        Check("GetFlowState");
        return inner.GetFlowStateAsync(key, cancellationToken);
    }

    public ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        Check("TryDeleteFlowState");
        return inner.TryDeleteFlowStateAsync(key, cancellationToken);
    }

    public ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken)
    {
        Check("GetBlock");
        return inner.GetBlockAsync(userId, cancellationToken);
    }

    public ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Check("SetBlock");
        return inner.SetBlockAsync(userId, block, timeToLive, cancellationToken);
    }

    public ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken)
    {
        Check("GetDenyCount");
        return inner.GetDenyCountAsync(userId, actionName, cancellationToken);
    }

    public ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken)
    {
        Check("IncrementDenyCount");
        return inner.IncrementDenyCountAsync(userId, actionName, window, cancellationToken);
    }

    private void Check(string operation)
    {
        if (string.Equals(FailOn, operation, StringComparison.Ordinal))
        {
            throw Failure;
        }
    }
}
