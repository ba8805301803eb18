namespace Faable.Actions;

/// <summary>An action ran past its wall-clock budget (awaits included).</summary>
public sealed class ActionTimeoutException : FaableActionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actionName">The action that timed out.</param>
    /// <param name="timeout">The budget it had.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ActionTimeoutException(string actionName, TimeSpan timeout, Exception? innerException = null)
        : base(actionName, $"Action '{actionName}' did not finish within {timeout.TotalMilliseconds:0} ms (awaits included). Faable stops actions at 5 seconds.", innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The budget the action had.</summary>
    public TimeSpan Timeout { get; }
}
