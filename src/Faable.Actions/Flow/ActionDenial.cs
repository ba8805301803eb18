using System.Text.Json.Nodes;

namespace Faable.Actions.Flow;

/// <summary>The verdict of a denied login.</summary>
/// <param name="ActionName">The action that denied (or whose earlier <c>blockFor</c> still holds).</param>
/// <param name="Reason">The reason, which the client receives with the 401.</param>
/// <param name="Code">The audit code; never shown to the user.</param>
/// <param name="Details">The audit details; never shown to the user.</param>
/// <param name="BlockedUntil">When the <c>blockFor</c> verdict ends, if the action asked for one.</param>
/// <param name="FromBlock"><see langword="true"/> when the login was denied by an earlier <c>blockFor</c> without running the action.</param>
public sealed record ActionDenial(string ActionName, string Reason, string? Code, JsonNode? Details, DateTimeOffset? BlockedUntil, bool FromBlock)
{
    /// <summary>Formats the verdict for a test failure message.</summary>
    /// <returns>The action, reason, code and block.</returns>
    public override string ToString()
    {
        var text = $"denied by '{ActionName}': \"{Reason}\"";
        if (Code is not null)
        {
            text += $" code={Code}";
        }

        if (Details is not null)
        {
            text += $" details={Details.ToJsonString()}";
        }

        if (BlockedUntil is { } until)
        {
            text += FromBlock ? $" (blocked until {until:O}, action not run)" : $" blocked until {until:O}";
        }

        return text;
    }
}
