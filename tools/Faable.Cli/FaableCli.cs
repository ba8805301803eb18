using System.CommandLine;
using System.CommandLine.Help;
using System.Text.Json.Nodes;
using Faable.Cli.Actions;
using Faable.Cli.Emulator;
using Faable.Cli.Tokens;
using Faable.Cli.Webhooks;

namespace Faable.Cli;

/// <summary>The <c>faable</c> command tree, and how its results become exit codes.</summary>
internal static class FaableCli
{
    private const string RootDescription = """
        Faable Auth on your machine: a local tenant for any frontend or backend, and the everyday chores.

        Examples:
          faable emulator init && faable emulator start --port 5001
          faable webhooks send http://localhost:5000/hooks/faable --type user.created --secret whsec_...
          faable actions run ./actions --event event.json --continue-with '{"email":"ada@example.com"}'
          faable token doctor eyJ... --domain acme.auth.faable.link --audience https://api.example.com

        Every command takes --help (with an example) and --json (the result as JSON on standard output).
        Exit codes: 0 done, 1 rejected or denied, 2 redirected (actions run), 3 an action failed (actions run),
        64 the command line or an input file is wrong (the message says what to fix), 69 a port or URL is unavailable.
        """;

    /// <summary><c>--json</c>, on every command.</summary>
    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the result as JSON on standard output, for scripts (errors still go to standard error).",
        Recursive = true,
    };

    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand(RootDescription)
        {
            EmulatorCommands.Build(console),
            WebhookCommands.Build(console),
            ActionCommands.Build(console),
            TokenCommands.Build(console),
        };
        root.Options.Add(Json);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = Build(console);
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            return await UsageErrorAsync(console, result, string.Join(Environment.NewLine, result.Errors.Select(e => e.Message))).ConfigureAwait(false);
        }

        // The emulator stops on Ctrl+C through its host; other commands simply end.
        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await result.InvokeAsync(invocation, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            return await UsageErrorAsync(console, result, ex.Message).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a JSON result on standard output.</summary>
    public static Task WriteJsonAsync(CliConsole console, JsonNode node) =>
        console.Out.WriteLineAsync(node.ToJsonString(CliJson.Indented));

    private static async Task<int> UsageErrorAsync(CliConsole console, ParseResult result, string message)
    {
        var command = result.CommandResult.Command;
        var path = new List<string>();
        for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, c.Command is RootCommand ? "faable" : c.Command.Name);
        }

        await console.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
        await console.Error.WriteLineAsync($"Run '{string.Join(' ', path)} --help' for usage and an example.").ConfigureAwait(false);
        if (result.GetValue(Json))
        {
            await WriteJsonAsync(console, new JsonObject { ["error"] = message, ["exitCode"] = ExitCodes.Usage, ["command"] = command.Name }).ConfigureAwait(false);
        }

        return ExitCodes.Usage;
    }
}
