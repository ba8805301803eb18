namespace Faable.Actions.Internal.Js;

/// <summary>
/// A sandbox limit refused something while the script runs (an allocation too large, more memory held than allowed).
/// A CLR exception on purpose: the script cannot <c>catch</c> it, so the action ends with
/// <see cref="ActionLimitExceededException"/> naming <see cref="Limit"/>.
/// </summary>
internal sealed class JsLimitFault : Exception
{
    public JsLimitFault()
    {
        Limit = "";
    }

    public JsLimitFault(string message)
        : base(message)
    {
        Limit = "";
    }

    public JsLimitFault(string message, Exception innerException)
        : base(message, innerException)
    {
        Limit = "";
    }

    public JsLimitFault(string limit, string message)
        : base(message)
    {
        Limit = limit;
    }

    /// <summary>The limit, named as in <see cref="ActionLimits"/>.</summary>
    public string Limit { get; }
}
