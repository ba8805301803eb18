namespace Faable.Actions.Internal.Api;

/// <summary>
/// The rule for the reason of <c>api.access.deny</c>, shared by both runtimes. The reason goes to the client (the
/// OAuth <c>error_description</c> of the failed login) and into every audit row, so it is bounded.
/// </summary>
internal static class DenyReason
{
    /// <summary>Longest reason accepted, in UTF-16 characters.</summary>
    public const int MaxChars = 1024;

    /// <summary>Why the reason is refused, or <see langword="null"/> when it is accepted.</summary>
    public static string? Check(string? reason) =>
        string.IsNullOrEmpty(reason) ? "needs a non-empty reason string (it is shown to the user)."
        : reason.Length > MaxChars ? $"the reason is {reason.Length} characters; at most {MaxChars} are accepted (it is shown to the user and kept in the audit log)."
        : null;
}
