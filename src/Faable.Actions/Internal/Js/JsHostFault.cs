namespace Faable.Actions.Internal.Js;

/// <summary>
/// An error raised by the host while the script runs (misuse of <c>api</c>, <c>require</c>, a missing export).
/// It is a CLR exception on purpose: the interpreter does not let script <c>catch</c> it, so a refused redirect or an
/// unknown <c>api</c> member always ends the action.
/// </summary>
internal sealed class JsHostFault : Exception
{
    public JsHostFault()
    {
    }

    public JsHostFault(string message)
        : base(message)
    {
    }

    public JsHostFault(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The script's stack when the fault was raised.</summary>
    public string? ScriptStack { get; init; }
}
