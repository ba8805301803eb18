using System.Globalization;
using System.Text;

namespace Faable.Actions.Flow;

/// <summary>What one action did in a flow: its <c>api</c> calls, its console output, how long it took and how it ended.</summary>
public sealed class ActionTraceEntry
{
    internal ActionTraceEntry(string actionName, ActionTrigger trigger, ActionStepOutcome outcome, TimeSpan duration, IReadOnlyList<ActionApiCall> apiCalls, IReadOnlyList<ActionConsoleLine> console, bool consoleTruncated, FaableActionException? error)
    {
        ActionName = actionName;
        Trigger = trigger;
        Outcome = outcome;
        Duration = duration;
        ApiCalls = apiCalls;
        Console = console;
        ConsoleTruncated = consoleTruncated;
        Error = error;
    }

    /// <summary>The action's name.</summary>
    public string ActionName { get; }

    /// <summary>The trigger it ran on.</summary>
    public ActionTrigger Trigger { get; }

    /// <summary>How its run ended.</summary>
    public ActionStepOutcome Outcome { get; }

    /// <summary>Wall-clock time of the run (zero for <see cref="ActionStepOutcome.Blocked"/>).</summary>
    public TimeSpan Duration { get; }

    /// <summary>Every call to <c>api</c>, in order.</summary>
    public IReadOnlyList<ActionApiCall> ApiCalls { get; }

    /// <summary>The console output kept within the quota.</summary>
    public IReadOnlyList<ActionConsoleLine> Console { get; }

    /// <summary>Whether console output was dropped because of the quota.</summary>
    public bool ConsoleTruncated { get; }

    /// <summary>The error, when <see cref="Outcome"/> is <see cref="ActionStepOutcome.Failed"/>.</summary>
    public FaableActionException? Error { get; }

    /// <summary>Formats the entry over several indented lines, for a test failure message.</summary>
    /// <returns>The formatted entry.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder, string.Empty);
        return builder.ToString().TrimEnd();
    }

    internal void AppendTo(StringBuilder builder, string indent)
    {
        builder.Append(indent).Append('[').Append(ActionTriggerNames.ToName(Trigger)).Append("] '").Append(ActionName).Append("' → ").Append(Outcome)
            .Append(" (").Append(Duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)).AppendLine(" ms)");
        foreach (var call in ApiCalls)
        {
            builder.Append(indent).Append("    ").AppendLine(call.ToString());
        }

        foreach (var line in Console)
        {
            builder.Append(indent).Append("    ").AppendLine(line.ToString());
        }

        if (ConsoleTruncated)
        {
            builder.Append(indent).AppendLine("    (console output truncated at the quota)");
        }

        if (Error is not null)
        {
            builder.Append(indent).Append("    error: ").Append(Error.GetType().Name).Append(": ").AppendLine(Error.Message);
        }
    }
}
