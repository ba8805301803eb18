namespace Faable.Actions;

/// <summary>The point of the login flow at which an action runs.</summary>
public enum ActionTrigger
{
    /// <summary>After the user authenticated, before tokens are issued (<c>exports.onExecutePostLogin</c>).</summary>
    PostLogin = 0,

    /// <summary>When the browser comes back through <c>/continue</c> after a redirect (<c>exports.onContinuePostLogin</c>).</summary>
    Continue = 1,
}
