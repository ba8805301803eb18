using Faable.Actions.Events;
using Faable.Actions.Flow;

namespace Faable.Actions.Internal;

/// <summary>What one engine call accumulates while it walks the chains, and the outcomes it can end with.</summary>
internal sealed class FlowRun
{
    public FlowRun(LoginEvent loginEvent, FlowContext context, bool isSignup, IEnumerable<ActionReview> carriedReviews)
    {
        Event = loginEvent;
        Context = context;
        IsSignup = isSignup;
        Reviews = [.. carriedReviews];
    }

    public LoginEvent Event { get; }

    public FlowContext Context { get; }

    public string UserId => Event.User.UserId;

    public bool IsSignup { get; }

    public List<ActionTraceEntry> Trace { get; } = [];

    public List<ActionReview> Reviews { get; }

    public List<ActionAuditRow> AuditRows { get; } = [];

    public static ActionFlowOutcome Rejected(ResumeStateRejection rejection) =>
        new(ActionFlowResult.Rejected, false, null, null, null, rejection, [], [], []);

    public static ActionFlowOutcome FailedBeforeRun(FaableActionException error) =>
        new(ActionFlowResult.Failed, false, null, null, error, null, [], [], []);

    public ActionFlowOutcome Allowed() => Finish(ActionFlowResult.Allowed, IsSignup, null, null, null);

    public ActionFlowOutcome Denied(ActionDenial denial) => Finish(ActionFlowResult.Denied, false, denial, null, null);

    public ActionFlowOutcome Redirected(ActionRedirect redirect) => Finish(ActionFlowResult.Redirected, false, null, redirect, null);

    public ActionFlowOutcome Failed(FaableActionException error) => Finish(ActionFlowResult.Failed, false, null, null, error);

    private ActionFlowOutcome Finish(ActionFlowResult result, bool isSignup, ActionDenial? denial, ActionRedirect? redirect, FaableActionException? error) =>
        new(result, isSignup, denial, redirect, error, null, Trace.ToArray(), Reviews.ToArray(), AuditRows.ToArray());
}
