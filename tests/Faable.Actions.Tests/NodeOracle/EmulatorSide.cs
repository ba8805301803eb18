using System.Text.RegularExpressions;
using Faable.Actions.Flow;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.NodeOracle;

/// <summary>Runs a program through the public engine, as a user's test would, and reads the outcome back.</summary>
internal static partial class EmulatorSide
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static async Task<ActionFlowOutcome> RunAsync(string code)
    {
        var engine = new FaableActionsEngine(
            [new FaableAction("oracle", ActionTrigger.PostLogin, code)],
            new FaableActionsOptions(),
            new FakeTimeProvider(Now));
        return await engine.RunPostLoginAsync(NodeOracle.Event, FlowContext.For(NodeOracle.Event, "oracle-session"), TestContext.Current.CancellationToken);
    }

    public static async Task<OracleOutcome> OutcomeAsync(string code)
    {
        var outcome = await RunAsync(code);
        var (kind, message) = outcome.Error is { } error ? Describe(error) : (null, null);
        var trace = outcome.Trace.SingleOrDefault();
        return new OracleOutcome(
            outcome.Denial?.Reason,
            outcome.Denial?.Code,
            outcome.Redirect?.RequestedUrl,
            outcome.Reviews.Select(r => r.Code).ToList(),
            trace?.Console.Select(c => c.ToString()).ToList() ?? [],
            kind,
            message);
    }

    /// <summary>The <c>event</c> object the emulator's scripts receive, serialized by the script itself.</summary>
    public static async Task<string> ScriptEventJsonAsync()
    {
        // The source names the ip_* fields, so the engine computes them; the driver drops those a program does not name.
        var outcome = await RunAsync("// ip_datacenter ip_active_blocks ip_network_active_blocks\nexports.onExecutePostLogin = async (event) => { console.log(JSON.stringify(event)) }");
        return outcome.Trace.Single().Console.Single().Text;
    }

    private static (string Kind, string Message) Describe(FaableActionException error)
    {
        switch (error)
        {
            case ActionTimeoutException:
                return ("timeout", "");
            case ActionLimitExceededException limit:
                return ("limit", limit.Limit + ": " + limit.Message);
            default:
                var text = PrefixRegex().Replace(error.Message, "");
                if (text.StartsWith("the action threw a ", StringComparison.Ordinal))
                {
                    return ("non-error", "");
                }

                var colon = text.IndexOf(": ", StringComparison.Ordinal);
                return colon > 0 && !text[..colon].Contains(' ', StringComparison.Ordinal)
                    ? (text[..colon], text[(colon + 2)..])
                    : ("host-fault", text);
        }
    }

    [GeneratedRegex(@"^Action 'oracle'( \(\d+:\d+\))?: ")]
    private static partial Regex PrefixRegex();
}
