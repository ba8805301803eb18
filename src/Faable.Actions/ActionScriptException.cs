namespace Faable.Actions;

/// <summary>The action's code failed: it did not compile, threw, or used something the emulator does not provide.</summary>
public sealed class ActionScriptException : FaableActionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actionName">The action that failed.</param>
    /// <param name="message">What happened and what to fix.</param>
    /// <param name="line">1-based line in the action's source, when known.</param>
    /// <param name="column">1-based column in the action's source, when known.</param>
    /// <param name="scriptStack">The script's own stack trace, when known.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ActionScriptException(string actionName, string message, int? line = null, int? column = null, string? scriptStack = null, Exception? innerException = null)
        : base(actionName, line is null ? $"Action '{actionName}': {message}" : $"Action '{actionName}' ({line}:{column}): {message}", innerException)
    {
        Line = line;
        Column = column;
        ScriptStack = scriptStack;
    }

    /// <summary>1-based line in the action's source, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column in the action's source, when known.</summary>
    public int? Column { get; }

    /// <summary>The script's own stack trace (JavaScript), when known.</summary>
    public string? ScriptStack { get; }
}
