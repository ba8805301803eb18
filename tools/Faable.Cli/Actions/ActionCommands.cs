using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Actions;
using Faable.Actions.Events;
using Faable.Actions.Flow;
using Faable.Actions.Loading;

namespace Faable.Cli.Actions;

/// <summary><c>faable actions run</c>: one login through the action chain, with the engine the local tenant uses.</summary>
internal static class ActionCommands
{
    /// <summary>The browser session the run pretends to be; a resume state is bound to it.</summary>
    private const string SessionId = "faable-cli";

    public static Command Build(CliConsole console) => new("actions", "Run Faable Actions on your machine.") { Run(console) };

    private static Command Run(CliConsole console)
    {
        var path = new Argument<string>("path") { Description = "An action file (.js or .csx) or a folder of actions (see Faable.Actions' folder convention)." };
        var eventFile = new Option<string>("--event") { Description = "The event as Faable logs it (JSON file with user, client, connection, request, stats).", Required = true };
        var continueWith = new Option<string?>("--continue-with")
        {
            Description = "When an action redirects, come back through /continue with these user fields (JSON object or @file), e.g. '{\"email\":\"ada@example.com\"}'.",
        };
        var command = new Command("run", """
            Run the post-login chain on an event, as Faable chains it (order, deny, redirect, 5-second budget), and print the
            outcome and what every action did (api calls, console output, errors). With --continue-with, a redirected login
            resumes through the continue trigger with the user updated, then the rest of the chain.
            Exit code 0 allowed, 1 denied, 2 redirected and not continued, 3 an action failed, 64 wrong input.

            Example:
              faable actions run ./actions --event event.json
              faable actions run ./actions/10-progressive-profiling.js --event event.json --continue-with '{"email":"ada@example.com"}'
            """)
        {
            path, eventFile, continueWith,
        };
        command.SetAction(async (result, ct) =>
        {
            var notes = new List<string>();
            var actions = Load(result.GetValue(path)!);
            var document = await CliInput.ReadFileAsync(result.GetValue(eventFile)!, "--event", ct).ConfigureAwait(false);
            var loginEvent = ReadEvent(ParseObject(document));
            var patch = result.GetValue(continueWith) is { } given ? await CliInput.ReadJsonObjectAsync(given, "--continue-with", ct).ConfigureAwait(false) : null;
            var json = result.GetValue(FaableCli.Json);
            if (actions.Count == 0)
            {
                notes.Add("no actions were found; the login is allowed as it would be on a tenant without actions.");
            }

            FaableActionsEngine engine;
            try
            {
                engine = new FaableActionsEngine(actions, Options(), TimeProvider.System);
            }
            catch (FaableActionException ex)
            {
                // A script that cannot be prepared (syntax, no exported handler) fails the run as it would fail the login.
                await WriteNotesAsync(console, notes).ConfigureAwait(false);
                var message = $"Failed: {ex.GetType().Name}: {ex.Message}";
                if (json)
                {
                    await FaableCli.WriteJsonAsync(console, new JsonObject { ["result"] = "Failed", ["error"] = Error(ex), ["exitCode"] = ExitCodes.Failed }).ConfigureAwait(false);
                }
                else
                {
                    await console.Out.WriteLineAsync(message).ConfigureAwait(false);
                }

                return ExitCodes.Failed;
            }

            var context = FlowContext.For(loginEvent, SessionId);
            var postLogin = await engine.RunPostLoginAsync(loginEvent, context, ct).ConfigureAwait(false);
            ActionFlowOutcome? resumed = null;
            if (patch is not null)
            {
                if (postLogin.IsRedirected)
                {
                    var user = ApplyPatch(loginEvent, patch);
                    resumed = await engine.ContinueAsync(postLogin.Redirect!.State, user, context, ct).ConfigureAwait(false);
                }
                else
                {
                    notes.Add($"--continue-with was not used: the login was {postLogin.Result.ToString().ToLowerInvariant()}, not redirected.");
                }
            }

            var final = resumed ?? postLogin;
            var exitCode = ExitCode(final);
            await WriteNotesAsync(console, notes).ConfigureAwait(false);
            if (json)
            {
                var output = new JsonObject { ["result"] = final.Result.ToString(), ["exitCode"] = exitCode, ["postLogin"] = ToJson(postLogin) };
                if (resumed is not null)
                {
                    output["continue"] = ToJson(resumed);
                }

                output["notes"] = new JsonArray([.. notes.Select(n => (JsonNode?)n)]);
                await FaableCli.WriteJsonAsync(console, output).ConfigureAwait(false);
            }
            else
            {
                await console.Out.WriteLineAsync(postLogin.ToString()).ConfigureAwait(false);
                if (resumed is not null)
                {
                    await console.Out.WriteLineAsync().ConfigureAwait(false);
                    await console.Out.WriteLineAsync($"Continued with {patch!.ToJsonString()}:").ConfigureAwait(false);
                    await console.Out.WriteLineAsync(resumed.ToString()).ConfigureAwait(false);
                }
            }

            return exitCode;
        });
        return command;
    }

    internal static int ExitCode(ActionFlowOutcome outcome) => outcome.Result switch
    {
        ActionFlowResult.Allowed => ExitCodes.Ok,
        ActionFlowResult.Denied => ExitCodes.Rejected,
        ActionFlowResult.Redirected => ExitCodes.Redirected,
        _ => ExitCodes.Failed,
    };

    private static IReadOnlyList<FaableAction> Load(string path)
    {
        try
        {
            return Directory.Exists(path) ? ActionFolder.Load(path) : ActionFolder.LoadFile(path);
        }
        catch (ActionFolderException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    private static FaableActionsOptions Options() => new()
    {
        // A fresh key per run: the state never leaves this process.
        ResumeStateKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),

        // Local profile pages (http://localhost:3000/profile) are what actions under development send users to.
        Limits = new ActionLimits { AllowHttpLoopbackRedirects = true },
    };

    /// <summary>The event as Faable logs it, read by the engine's own reader; a log line's <c>{"event": ...}</c> wrapper is accepted.</summary>
    private static LoginEvent ReadEvent(JsonObject document)
    {
        var root = document["event"] is JsonObject wrapped && !document.ContainsKey("user") ? wrapped : document;
        try
        {
            return LoginEvent.FromJson(root.ToJsonString());
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"--event: {ex.Message}", ex);
        }
    }

    /// <summary>The user after the application collected more fields: the fields merged over <c>event.user</c>, read by the same reader.</summary>
    private static LoginUser ApplyPatch(LoginEvent loginEvent, JsonObject patch)
    {
        if (patch.ContainsKey("user_id"))
        {
            throw new CliUsageException("--continue-with cannot change user_id; the paused login belongs to one user.");
        }

        var document = JsonNode.Parse(loginEvent.ToJson())!.AsObject();
        var user = document["user"]!.AsObject();
        foreach (var (key, value) in patch)
        {
            user[key] = value?.DeepClone();
        }

        try
        {
            return LoginEvent.FromJson(document.ToJsonString()).User;
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"--continue-with: {ex.Message}", ex);
        }
    }

    private static JsonObject ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new CliUsageException("--event must hold a JSON object: the event, e.g. {\"user\":{\"user_id\":\"user_1\",\"email\":\"ada@example.com\"}}.");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"--event is not valid JSON: {ex.Message}", ex);
        }
    }

    private static async Task WriteNotesAsync(CliConsole console, List<string> notes)
    {
        foreach (var note in notes)
        {
            await console.Error.WriteLineAsync("note: " + note).ConfigureAwait(false);
        }
    }

    private static JsonObject ToJson(ActionFlowOutcome outcome)
    {
        var trace = new JsonArray();
        foreach (var step in outcome.Trace)
        {
            trace.Add(new JsonObject
            {
                ["action"] = step.ActionName,
                ["trigger"] = ActionTriggerNames.ToName(step.Trigger),
                ["outcome"] = step.Outcome.ToString(),
                ["durationMs"] = Math.Round(step.Duration.TotalMilliseconds, 3),
                ["apiCalls"] = new JsonArray([.. step.ApiCalls.Select(c => (JsonNode?)new JsonObject { ["method"] = c.Method, ["argument"] = c.Argument })]),
                ["console"] = new JsonArray([.. step.Console.Select(l => (JsonNode?)new JsonObject { ["level"] = l.Level, ["text"] = l.Text })]),
                ["consoleTruncated"] = step.ConsoleTruncated,
                ["error"] = step.Error is null ? null : Error(step.Error),
            });
        }

        return new JsonObject
        {
            ["result"] = outcome.Result.ToString(),
            ["signup"] = outcome.IsSignup,
            ["denial"] = outcome.Denial is { } d
                ? new JsonObject { ["action"] = d.ActionName, ["reason"] = d.Reason, ["code"] = d.Code, ["details"] = d.Details?.DeepClone(), ["blockedUntil"] = d.BlockedUntil?.ToString("O") }
                : null,
            ["redirect"] = outcome.Redirect is { } r
                ? new JsonObject { ["action"] = r.ActionName, ["requestedUrl"] = r.RequestedUrl, ["url"] = r.Url }
                : null,
            ["reviews"] = new JsonArray([.. outcome.Reviews.Select(v => (JsonNode?)new JsonObject { ["action"] = v.ActionName, ["code"] = v.Code, ["details"] = v.Details?.DeepClone() })]),
            ["error"] = outcome.Error is null ? null : Error(outcome.Error),
            ["rejection"] = outcome.Rejection?.ToString(),
            ["trace"] = trace,
            ["text"] = outcome.ToString(),
        };
    }

    private static JsonObject Error(FaableActionException error)
    {
        var json = new JsonObject { ["type"] = error.GetType().Name, ["action"] = error.ActionName, ["message"] = error.Message };
        if (error is ActionScriptException script)
        {
            json["line"] = script.Line;
            json["column"] = script.Column;
        }

        return json;
    }
}
