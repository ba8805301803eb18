namespace Faable.Actions.Flow;

/// <summary>One call an action made to <c>api</c>, in order, including calls that lost to an earlier decision.</summary>
/// <param name="Method">The member called, e.g. <c>api.access.deny</c>.</param>
/// <param name="Argument">Its main argument (the reason, code or URL).</param>
public sealed record ActionApiCall(string Method, string Argument)
{
    /// <summary>Formats the call as it would read in the script.</summary>
    /// <returns>For example <c>api.access.deny("No email")</c>.</returns>
    public override string ToString() => $"{Method}(\"{Argument}\")";
}
