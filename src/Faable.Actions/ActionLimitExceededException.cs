namespace Faable.Actions;

/// <summary>An action hit a sandbox limit other than time.</summary>
public sealed class ActionLimitExceededException : FaableActionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="actionName">The action that hit the limit.</param>
    /// <param name="limit">The limit, named as in <see cref="ActionLimits"/> (e.g. <c>MaxMemoryBytes</c>).</param>
    /// <param name="detail">What was observed.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ActionLimitExceededException(string actionName, string limit, string detail, Exception? innerException = null)
        : base(actionName, $"Action '{actionName}' exceeded the sandbox limit {limit}: {detail}", innerException)
    {
        Limit = limit;
    }

    /// <summary>The limit, named as in <see cref="ActionLimits"/>, e.g. <c>MaxRecursionDepth</c>.</summary>
    public string Limit { get; }
}
