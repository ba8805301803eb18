namespace Faable.Actions;

/// <summary>Base of the errors an action run can end with. Never carries interpreter or compiler types.</summary>
public abstract class FaableActionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actionName">The action that failed.</param>
    /// <param name="message">What happened and what to fix.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected FaableActionException(string actionName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ActionName = actionName;
    }

    /// <summary>The action that failed.</summary>
    public string ActionName { get; }
}
