using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Faable.Actions;
using Faable.Actions.Flow;
using Faable.Actions.Loading;
using Faable.Actions.Testing;
using Faable.Cli.Tests.Infrastructure;

namespace Faable.Cli.Tests;

/// <summary><c>faable actions run</c> on the sample's progressive-profiling action.</summary>
public sealed partial class ActionCommandTests : IDisposable
{
    private static readonly string SampleActions = Path.Combine(Faable.Tests.Shared.RepositoryPaths.Root, "samples", "OrdersApi", "actions");
    private static readonly string ProfilingAction = Path.Combine(SampleActions, "10-progressive-profiling.js");
    private readonly string _folder = Directory.CreateTempSubdirectory("faable-cli-actions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Run_GitHubUserWithoutEmail_PrintsTheEngineOutcomeAndExitsTwo()
    {
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_gh_1","email_verified":false},"connection":{"name":"github"},"stats":{"is_new_user":true}}""");

        var result = await FaableTool.RunAsync("actions", "run", SampleActions, "--event", eventFile);

        Assert.True(result.ExitCode == 2, result.ToString());

        // The same text as the outcome's ToString(), as the engine produces it in process (durations aside).
        var engine = new FaableActionsEngine(ActionFolder.Load(SampleActions), new FaableActionsOptions
        {
            ResumeStateKey = "tests-only-resume-state-key-of-32-bytes",
            Limits = new ActionLimits { AllowHttpLoopbackRedirects = true },
        });
        var login = LoginEventBuilder.For("user_gh_1").ViaConnection("github").WithoutEmail().AsSignup().Build();
        var expected = await engine.RunPostLoginAsync(login, FlowContext.For(login, "faable-cli"), TestContext.Current.CancellationToken);
        Assert.Equal(Normalize(expected.ToString()), Normalize(result.Output.TrimEnd()));
        Assert.StartsWith("Redirected", result.Output, StringComparison.Ordinal);
        Assert.Contains("api.redirect.sendUserTo(\"http://localhost:5080/profile\")", result.Output, StringComparison.Ordinal);
        Assert.Contains("console.log: no email for user_gh_1 (github); asking for one", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ContinueWithEmail_IsAllowedAndExitsZero()
    {
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_gh_2"},"connection":{"name":"github"}}""");

        var result = await FaableTool.RunAsync("actions", "run", ProfilingAction, "--event", eventFile, "--continue-with", """{"email":"ada@example.com"}""");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Continued with {\"email\":\"ada@example.com\"}:", result.Output, StringComparison.Ordinal);
        Assert.Contains("[continue] 'progressive-profiling' → Completed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ContinueWithoutEmail_IsDeniedAndExitsOne()
    {
        var eventFile = await WriteAsync("""{"event":{"user":{"user_id":"user_gh_3"},"connection":{"name":"github"}}}""");

        var result = await FaableTool.RunAsync("actions", "run", ProfilingAction, "--event", eventFile, "--continue-with", "{}", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var output = JsonNode.Parse(result.Output)!;
        Assert.Equal("Denied", output["result"]!.GetValue<string>());
        Assert.Equal("Redirected", output["postLogin"]!["result"]!.GetValue<string>());
        Assert.Equal("An email address is required.", output["continue"]!["denial"]!["reason"]!.GetValue<string>());
        Assert.Equal("profile_incomplete", output["continue"]!["denial"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_UserWithEmail_IsAllowedAndNotesAnUnusedContinue()
    {
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_db_1","email":"ada@example.com","email_verified":true}}""");

        var result = await FaableTool.RunAsync("actions", "run", SampleActions, "--event", eventFile, "--continue-with", """{"email":"x@example.com"}""");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Allowed", result.Output, StringComparison.Ordinal);
        Assert.Contains("--continue-with was not used", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ActionThatThrows_ExitsThreeNamingTheAction()
    {
        var action = Path.Combine(_folder, "explode.js");
        await File.WriteAllTextAsync(action, "exports.onExecutePostLogin = async (event, api) => { throw new Error('boom') }", TestContext.Current.CancellationToken);
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_1"}}""");

        var result = await FaableTool.RunAsync("actions", "run", action, "--event", eventFile);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("Failed", result.Output, StringComparison.Ordinal);
        Assert.Contains("'explode'", result.Output, StringComparison.Ordinal);
        Assert.Contains("boom", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ActionThatDoesNotParse_ExitsThree()
    {
        var action = Path.Combine(_folder, "broken.js");
        await File.WriteAllTextAsync(action, "exports.onExecutePostLogin = async (event, api) => {", TestContext.Current.CancellationToken);
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_1"}}""");

        var result = await FaableTool.RunAsync("actions", "run", action, "--event", eventFile);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("Failed: ActionScriptException", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EventFieldOfTheWrongType_Exits64NamingIt()
    {
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_1","email_verified":"yes"}}""");

        var result = await FaableTool.RunAsync("actions", "run", SampleActions, "--event", eventFile);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--event:", result.Error, StringComparison.Ordinal);
        Assert.Contains("event.user.email_verified", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EventFieldOutsideTheContract_Exits64NamingIt()
    {
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_1"},"tenant":"acme"}""");

        var result = await FaableTool.RunAsync("actions", "run", SampleActions, "--event", eventFile);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("tenant", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EventWithoutUserId_Exits64()
    {
        var eventFile = await WriteAsync("""{"user":{"email":"ada@example.com"}}""");

        var result = await FaableTool.RunAsync("actions", "run", SampleActions, "--event", eventFile);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("event.user", result.Error, StringComparison.Ordinal);
        Assert.Contains("user_id", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingActionPath_Exits64()
    {
        var eventFile = await WriteAsync("""{"user":{"user_id":"user_1"}}""");

        var result = await FaableTool.RunAsync("actions", "run", Path.Combine(_folder, "nope.js"), "--event", eventFile);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(string json)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, json, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>Removes what differs between two runs: durations, the resume state and its expiry.</summary>
    private static string Normalize(string text) =>
        Expiry().Replace(StateValue().Replace(Duration().Replace(text.ReplaceLineEndings("\n"), "(# ms)"), "state=#"), "expires #");

    [GeneratedRegex(@"\([0-9.]+ ms\)")]
    private static partial Regex Duration();

    [GeneratedRegex(@"expires [0-9T:.+\-]+")]
    private static partial Regex Expiry();

    [GeneratedRegex(@"state=[A-Za-z0-9_\-.%]+")]
    private static partial Regex StateValue();
}
