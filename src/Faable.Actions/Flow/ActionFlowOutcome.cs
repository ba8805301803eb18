using System.Text;

namespace Faable.Actions.Flow;

/// <summary>
/// What a login flow came to: <see cref="ActionFlowResult.Allowed"/>, <see cref="ActionFlowResult.Denied"/>,
/// <see cref="ActionFlowResult.Redirected"/>, <see cref="ActionFlowResult.Failed"/> or (for continue only)
/// <see cref="ActionFlowResult.Rejected"/>, with the per-action trace, review flags and audit rows.
/// <see cref="ToString"/> prints all of it, so a failing assertion shows what every action did.
/// </summary>
public sealed class ActionFlowOutcome
{
    internal ActionFlowOutcome(
        ActionFlowResult result,
        bool isSignup,
        ActionDenial? denial,
        ActionRedirect? redirect,
        FaableActionException? error,
        ResumeStateRejection? rejection,
        IReadOnlyList<ActionTraceEntry> trace,
        IReadOnlyList<ActionReview> reviews,
        IReadOnlyList<ActionAuditRow> auditRows)
    {
        Result = result;
        IsSignup = isSignup;
        Denial = denial;
        Redirect = redirect;
        Error = error;
        Rejection = rejection;
        Trace = trace;
        Reviews = reviews;
        AuditRows = auditRows;
    }

    /// <summary>How the flow ended.</summary>
    public ActionFlowResult Result { get; }

    /// <summary>Whether tokens may be issued.</summary>
    public bool IsAllowed => Result == ActionFlowResult.Allowed;

    /// <summary>Whether an action denied the login (see <see cref="Denial"/>).</summary>
    public bool IsDenied => Result == ActionFlowResult.Denied;

    /// <summary>Whether the flow paused on a redirect (see <see cref="Redirect"/>).</summary>
    public bool IsRedirected => Result == ActionFlowResult.Redirected;

    /// <summary>Whether an action failed (see <see cref="Error"/>).</summary>
    public bool IsFailed => Result == ActionFlowResult.Failed;

    /// <summary>Whether the resume state was refused (see <see cref="Rejection"/>).</summary>
    public bool IsRejected => Result == ActionFlowResult.Rejected;

    /// <summary>
    /// <see langword="true"/> on the one outcome that completes (allows) a flow which created the user, also when
    /// that flow paused and resumed; the host then adds <c>signup=true</c> to the final redirect back to the app.
    /// Always <see langword="false"/> on denied, redirected, failed and rejected outcomes.
    /// </summary>
    public bool IsSignup { get; }

    /// <summary>The verdict, when <see cref="Result"/> is <see cref="ActionFlowResult.Denied"/>.</summary>
    public ActionDenial? Denial { get; }

    /// <summary>Where to send the browser, when <see cref="Result"/> is <see cref="ActionFlowResult.Redirected"/>.</summary>
    public ActionRedirect? Redirect { get; }

    /// <summary>The error, when <see cref="Result"/> is <see cref="ActionFlowResult.Failed"/>.</summary>
    public FaableActionException? Error { get; }

    /// <summary>Why the resume state was refused, when <see cref="Result"/> is <see cref="ActionFlowResult.Rejected"/>.</summary>
    public ResumeStateRejection? Rejection { get; }

    /// <summary>Every action run of this call, in order.</summary>
    public IReadOnlyList<ActionTraceEntry> Trace { get; }

    /// <summary>Review flags of the whole flow (including those set before a pause), in order.</summary>
    public IReadOnlyList<ActionReview> Reviews { get; }

    /// <summary>Whether any action flagged the login for review.</summary>
    public bool IsFlaggedForReview => Reviews.Count > 0;

    /// <summary>Whether any action flagged the login for review with this code (<c>api.access.review(code)</c>).</summary>
    /// <param name="code">The review code, compared exactly.</param>
    /// <returns><see langword="true"/> when a review flag of the flow has <paramref name="code"/>.</returns>
    public bool HasReview(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Reviews.Any(r => string.Equals(r.Code, code, StringComparison.Ordinal));
    }

    /// <summary>One audit row per action run of this call, in order.</summary>
    public IReadOnlyList<ActionAuditRow> AuditRows { get; }

    /// <summary>Formats the outcome, its verdict and the whole trace over several lines.</summary>
    /// <returns>The formatted outcome.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Result);
        switch (Result)
        {
            case ActionFlowResult.Allowed when IsSignup:
                builder.Append(" (signup)");
                break;
            case ActionFlowResult.Denied:
                builder.Append(": ").Append(Denial);
                break;
            case ActionFlowResult.Redirected:
                builder.Append(": ").Append(Redirect);
                break;
            case ActionFlowResult.Failed:
                builder.Append(": ").Append(Error?.GetType().Name).Append(": ").Append(Error?.Message);
                break;
            case ActionFlowResult.Rejected:
                builder.Append(": resume state ").Append(Rejection);
                break;
        }

        builder.AppendLine();
        if (Reviews.Count > 0)
        {
            builder.Append("  review flags: ").AppendJoin(", ", Reviews).AppendLine();
        }

        if (Trace.Count == 0)
        {
            builder.AppendLine("  (no action ran)");
        }

        for (var i = 0; i < Trace.Count; i++)
        {
            builder.Append("  ").Append(i + 1).Append(". ");
            Trace[i].AppendTo(builder, string.Empty);
        }

        return builder.ToString().TrimEnd();
    }
}
