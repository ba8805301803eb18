using System.Text;

namespace Faable.AspNetCore.Diagnostics;

/// <summary>The token doctor's explanation of a token: every check, in the order the resource server applies them.</summary>
public sealed class FaableTokenDiagnosis
{
    internal FaableTokenDiagnosis(IReadOnlyList<FaableTokenCheck> checks, string? reason)
    {
        Checks = checks;
        FirstFailure = checks.FirstOrDefault(c => c.Status == FaableTokenCheckStatus.Failed);
        Reason = reason ?? FirstFailure?.Reason;
    }

    /// <summary>Gets every check, in the order the resource server applies them.</summary>
    public IReadOnlyList<FaableTokenCheck> Checks { get; }

    /// <summary>Gets the first failed check: the one that decides the resource server's answer.</summary>
    public FaableTokenCheck? FirstFailure { get; }

    /// <summary>Gets the <c>reason</c> code of the resource server's 401 (or 503) answer, or <see langword="null"/> when the token is accepted.</summary>
    public string? Reason { get; }

    /// <summary>Gets a value indicating whether the resource server accepts the token.</summary>
    public bool IsValid => Reason is null;

    /// <summary>Formats the diagnosis as text, one check per line. The token itself is never included.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var check in Checks)
        {
            text.Append(Mark(check.Status)).Append(' ').Append(check.Name.PadRight(18)).Append(' ').Append(check.Explanation).AppendLine();
        }

        text.Append(IsValid
            ? "Verdict: the token is accepted."
            : $"Verdict: the token is rejected with reason '{Reason}'{(FirstFailure is null ? string.Empty : $" (check {FirstFailure.Name})")}.");
        return text.ToString();
    }

    private static string Mark(FaableTokenCheckStatus status) => status switch
    {
        FaableTokenCheckStatus.Passed => "[ ok ]",
        FaableTokenCheckStatus.Failed => "[FAIL]",
        FaableTokenCheckStatus.Warning => "[warn]",
        FaableTokenCheckStatus.Skipped => "[skip]",
        _ => "[info]",
    };
}
