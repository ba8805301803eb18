using Faable.Actions.Stores;

namespace Faable.Actions.Internal;

/// <summary>
/// The engine's view of its <see cref="IActionFlowStore"/>: any failure of the store, whatever its type, comes out as
/// <see cref="ActionFlowStoreException"/>, which the engine turns into a failed (closed) login rather than an
/// unhandled error. Cancellation of the caller's token passes through unchanged.
/// </summary>
internal sealed class GuardedFlowStore(IActionFlowStore store)
{
    public IActionFlowStore Inner { get; } = store;

    public ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, string actionName, CancellationToken cancellationToken) =>
        GuardAsync("SaveFlowState", actionName, () => Inner.SaveFlowStateAsync(key, payload, timeToLive, cancellationToken), cancellationToken);

    public ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken) =>
        GuardAsync("GetFlowState", null, () => Inner.GetFlowStateAsync(key, cancellationToken), cancellationToken);

    public ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken) =>
        GuardAsync("TryDeleteFlowState", null, () => Inner.TryDeleteFlowStateAsync(key, cancellationToken), cancellationToken);

    public ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken) =>
        GuardAsync("GetBlock", null, () => Inner.GetBlockAsync(userId, cancellationToken), cancellationToken);

    public ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        GuardAsync("SetBlock", block.ActionName, () => Inner.SetBlockAsync(userId, block, timeToLive, cancellationToken), cancellationToken);

    public ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken) =>
        GuardAsync("GetDenyCount", actionName, () => Inner.GetDenyCountAsync(userId, actionName, cancellationToken), cancellationToken);

    public ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken) =>
        GuardAsync("IncrementDenyCount", actionName, () => Inner.IncrementDenyCountAsync(userId, actionName, window, cancellationToken), cancellationToken);

    private static async ValueTask GuardAsync(string operation, string? actionName, Func<ValueTask> call, CancellationToken cancellationToken)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Wrap(operation, actionName, ex);
        }
    }

    private static async ValueTask<T> GuardAsync<T>(string operation, string? actionName, Func<ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Wrap(operation, actionName, ex);
        }
    }

    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) =>
        !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested);

    // A store that already reports ActionFlowStoreException keeps its error as the inner one; the engine adds the action.
    private static ActionFlowStoreException Wrap(string operation, string? actionName, Exception ex) =>
        new(operation, actionName, ex is ActionFlowStoreException { InnerException: { } inner } ? inner : ex);
}
