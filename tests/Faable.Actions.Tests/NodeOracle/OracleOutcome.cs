using System.Text;

namespace Faable.Actions.Tests.NodeOracle;

/// <summary>What one program came to, in a form both sides produce and a failing assertion shows line by line.</summary>
internal sealed record OracleOutcome(
    string? DenyReason,
    string? DenyCode,
    string? RedirectUrl,
    IReadOnlyList<string> Reviews,
    IReadOnlyList<string> Console,
    string? ErrorKind,
    string? ErrorMessage)
{
    /// <summary>The result as the flow engine decides it: an error wins, then a deny, then a redirect.</summary>
    public string Result => ErrorKind is not null ? "failed" : DenyReason is not null ? "denied" : RedirectUrl is not null ? "redirected" : "allowed";

    public string Describe(bool withErrorMessage)
    {
        var text = new StringBuilder();
        text.Append("result: ").AppendLine(Result);
        switch (Result)
        {
            case "failed":
                text.Append("error: ").Append(ErrorKind);
                if (withErrorMessage && !string.IsNullOrEmpty(ErrorMessage))
                {
                    text.Append(": ").Append(ErrorMessage);
                }

                text.AppendLine();
                break;
            case "denied":
                text.Append("reason: ").AppendLine(DenyReason).Append("code: ").AppendLine(DenyCode ?? "(none)");
                break;
            case "redirected":
                text.Append("url: ").AppendLine(RedirectUrl);
                break;
        }

        foreach (var review in Reviews)
        {
            text.Append("review: ").AppendLine(review);
        }

        foreach (var line in Console)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }
}
