namespace Faable.Actions.Flow;

/// <summary>How a login flow ended.</summary>
public enum ActionFlowResult
{
    /// <summary>Every action ran and none denied or redirected: tokens may be issued.</summary>
    Allowed = 0,

    /// <summary>An action called <c>api.access.deny</c>, or an earlier <c>blockFor</c> still holds: no tokens.</summary>
    Denied = 1,

    /// <summary>An action called <c>api.redirect.sendUserTo</c>: the flow is paused until <c>/continue</c>.</summary>
    Redirected = 2,

    /// <summary>An action failed (timeout, sandbox limit, script error): the flow fails closed, no tokens.</summary>
    Failed = 3,

    /// <summary>The resume <c>state</c> given to continue was refused; no action ran.</summary>
    Rejected = 4,
}
