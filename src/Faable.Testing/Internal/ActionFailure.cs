using System.Text;
using Faable.Actions;

namespace Faable.Testing.Internal;

/// <summary>
/// The <c>error_description</c> sent back to the client when an action fails: which action, how it failed, and that
/// no token was issued. Never the exception's message (it can quote script source, stacks or values the action
/// read): that goes to the tenant log only.
/// </summary>
internal static class ActionFailure
{
    /// <summary>Longest action name repeated in a description; longer names are cut and marked with <c>...</c>.</summary>
    public const int MaxNameLength = 64;

    public static string Describe(FaableActionException? error)
    {
        if (string.IsNullOrEmpty(error?.ActionName))
        {
            // No action to blame, e.g. the flow store failed while reading a paused login.
            return "The login actions could not run; no token was issued.";
        }

        var how = error switch
        {
            ActionTimeoutException => "timed out",
            ActionLimitExceededException limit => $"exceeded its {Sanitize(limit.Limit)} limit",
            ActionScriptException => "threw an error",
            _ => "failed",
        };
        return $"The action '{Sanitize(error.ActionName)}' {how}; no token was issued.";
    }

    /// <summary>
    /// Keeps only the characters RFC 6749 §4.1.2.1 allows in <c>error_description</c> (printable ASCII without
    /// <c>"</c> and <c>\</c>), replacing others with <c>?</c>, and cuts long names.
    /// </summary>
    public static string Sanitize(string value)
    {
        var cut = value.Length > MaxNameLength;
        var text = cut ? value[..MaxNameLength] : value;
        var sb = new StringBuilder(text.Length + 3);
        foreach (var c in text)
        {
            sb.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?');
        }

        return cut ? sb.Append("...").ToString() : sb.ToString();
    }
}
