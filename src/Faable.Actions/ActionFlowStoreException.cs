namespace Faable.Actions;

/// <summary>
/// The <see cref="Stores.IActionFlowStore"/> could not be read or written (for example Redis is unreachable or timed
/// out). The engine never lets this escape: the login ends as <see cref="Flow.ActionFlowResult.Failed"/> with this
/// error, so no token is issued and a resume state is never continued without its atomic consume.
/// </summary>
/// <remarks>
/// The message names the operation, never a resume state nor a store key. The store's own error is the
/// <see cref="Exception.InnerException"/>, for the logs.
/// </remarks>
public sealed class ActionFlowStoreException : FaableActionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The store operation that failed, named as the <see cref="Stores.IActionFlowStore"/> method without <c>Async</c> (e.g. <c>TryDeleteFlowState</c>).</param>
    /// <param name="actionName">The action whose step needed the store, or <see langword="null"/> when none was involved (reading a paused flow or a user's block).</param>
    /// <param name="innerException">The store's own error.</param>
    public ActionFlowStoreException(string operation, string? actionName, Exception? innerException = null)
        : base(
            actionName ?? string.Empty,
            $"The action flow store failed during {operation} ({innerException?.GetType().Name ?? "unknown error"}); the login fails closed and no token is issued. Check that the store (e.g. Redis) is reachable.",
            innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        Operation = operation;
    }

    /// <summary>The store operation that failed, e.g. <c>TryDeleteFlowState</c> or <c>IncrementDenyCount</c>.</summary>
    public string Operation { get; }
}
