namespace Faable.Actions.Stores;

/// <summary>
/// Where the flow engine keeps what outlives one call: paused flows (resume states), standing <c>blockFor</c>
/// verdicts and <c>deny_count</c> counters. <see cref="InMemoryActionFlowStore"/> serves one process;
/// <see cref="RedisActionFlowStore"/> shares the data between instances with atomic single use, counting and
/// block extension.
/// </summary>
/// <remarks>
/// The engine decides expiry from its own clock; the times to live given here only let the store forget old
/// entries. Keys are opaque to the store; payloads are the engine's own serialization. Resume states are
/// attacker-controlled: an implementation shared by several instances must make
/// <see cref="TryDeleteFlowStateAsync"/> atomic across them. A store that fails throws; the engine turns any such
/// exception into a failed login (<see cref="ActionFlowStoreException"/>), never an unhandled error.
/// </remarks>
public interface IActionFlowStore
{
    /// <summary>Stores a paused flow.</summary>
    /// <param name="key">The flow's key (derived from the resume state, not the state itself).</param>
    /// <param name="payload">The serialized flow.</param>
    /// <param name="timeToLive">How long the store must keep it at least.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the flow is stored.</returns>
    ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Reads a paused flow without consuming it.</summary>
    /// <param name="key">The flow's key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The payload, or <see langword="null"/> when there is none.</returns>
    ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a paused flow and reports whether THIS call deleted it: of several concurrent calls for one key,
    /// at most one returns <see langword="true"/> (compare-and-delete). That caller alone continues the flow.
    /// </summary>
    /// <param name="key">The flow's key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether this call removed the flow.</returns>
    ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Reads the standing block of a user, if any (expired or not; the engine checks the time).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The block, or <see langword="null"/>.</returns>
    ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the standing block of a user unless the one already stored lasts longer, in one atomic step: of two
    /// denials with <c>blockFor</c> at once (on any instance), the longer block stands.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="block">The block.</param>
    /// <param name="timeToLive">How long the block lasts from now; the store keeps it at least that long.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the longer of the two blocks is stored.</returns>
    ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Reads how many times an action denied a user within the current window.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="actionName">The action.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The count, 0 when none.</returns>
    ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken);

    /// <summary>Adds one denial of a user by an action; the counter is forgotten <paramref name="window"/> after its last denial.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="actionName">The action.</param>
    /// <param name="window">How long the counter lives after this denial.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new count.</returns>
    ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken);
}
