namespace Faable.Actions.Flow;

/// <summary>What one action's run did to the flow.</summary>
public enum ActionStepOutcome
{
    /// <summary>The action finished without denying or redirecting; the chain went on.</summary>
    Completed = 0,

    /// <summary>The action denied the login; later actions did not run.</summary>
    Denied = 1,

    /// <summary>The action redirected; the chain paused after it.</summary>
    Redirected = 2,

    /// <summary>The action failed (timeout, limit, script error); the flow failed closed.</summary>
    Failed = 3,

    /// <summary>The action's earlier <c>blockFor</c> verdict still holds; its code did not run.</summary>
    Blocked = 4,
}
