namespace Faable.AspNetCore.Diagnostics;

/// <summary>The result of one check the token doctor explains.</summary>
public enum FaableTokenCheckStatus
{
    /// <summary>The check passed.</summary>
    Passed = 0,

    /// <summary>The check failed: the resource server rejects the token for this reason (the first failure decides the answer).</summary>
    Failed = 1,

    /// <summary>The check passed, but something looks like a mistake worth fixing.</summary>
    Warning = 2,

    /// <summary>The check could not run because an earlier part of the token is unreadable or unverified.</summary>
    Skipped = 3,

    /// <summary>Information only: nothing is enforced here.</summary>
    Info = 4,
}
