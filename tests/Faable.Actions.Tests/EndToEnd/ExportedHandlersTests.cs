using Faable.Actions.Flow;
using Faable.Actions.Loading;
using Faable.Actions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.EndToEnd;

/// <summary>
/// Every handler a script exports runs, whether the script is registered in code or loaded from a folder, and a
/// trigger named for a script that does not export its handler is refused when the engine is built.
/// </summary>
public sealed class ExportedHandlersTests : IDisposable
{
    private const string Key = "exported-handlers-resume-state-key-32-bytes";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
    private readonly string _folder = Directory.CreateTempSubdirectory("faable-actions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private FaableActionsEngine Engine(IEnumerable<FaableAction> actions) =>
        new(actions, new FaableActionsOptions { ResumeStateKey = Key }, _clock);

    private static async Task<ActionFlowOutcome> ContinueWithoutEmailAsync(FaableActionsEngine engine)
    {
        var ct = TestContext.Current.CancellationToken;
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "browser-1");
        var paused = await engine.RunPostLoginAsync(login, context, ct);
        Assert.True(paused.IsRedirected, paused.ToString());
        return await engine.ContinueAsync(paused.Redirect!.State, login.User, context, ct);
    }

    [Fact]
    public async Task ScriptRegisteredOnceInCode_WithBothHandlers_DeniesContinueWithoutEmail()
    {
        var engine = Engine([new FaableAction("progressive-profiling", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling)]);

        var outcome = await ContinueWithoutEmailAsync(engine);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("profile_incomplete", outcome.Denial!.Code);
        Assert.Equal("progressive-profiling", outcome.Denial.ActionName);
    }

    [Fact]
    public async Task ScriptRegisteredOnceInCode_WithBothHandlers_AllowsContinueWithEmail()
    {
        var engine = Engine([new FaableAction("progressive-profiling", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling)]);
        var ct = TestContext.Current.CancellationToken;
        var login = LoginEventBuilder.For("user_gh").WithoutEmail().Build();
        var context = FlowContext.For(login, "browser-1");
        var paused = await engine.RunPostLoginAsync(login, context, ct);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, login.User with { Email = "ada@example.com" }, context, ct);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Single(outcome.Trace, t => t.Trigger == ActionTrigger.Continue);
    }

    [Fact]
    public async Task ScriptRegisteredForBothTriggers_RunsEachHandlerOnce()
    {
        var engine = Engine(
        [
            new FaableAction("progressive-profiling", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
            new FaableAction("progressive-profiling", ActionTrigger.Continue, SpecActions.ProgressiveProfiling),
        ]);

        var outcome = await ContinueWithoutEmailAsync(engine);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Single(outcome.Trace, t => t.Trigger == ActionTrigger.Continue);
    }

    [Theory]
    [InlineData("10-progressive-profiling.js")]
    [InlineData("10-progressive-profiling.post-login.js")]
    public async Task ScriptLoadedFromAFolder_WithBothHandlers_DeniesContinueWithoutEmail(string fileName)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, fileName), SpecActions.ProgressiveProfiling, TestContext.Current.CancellationToken);
        var engine = Engine(ActionFolder.Load(_folder));

        var outcome = await ContinueWithoutEmailAsync(engine);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("progressive-profiling", outcome.Denial!.ActionName);
        Assert.Single(outcome.Trace, t => t.Trigger == ActionTrigger.Continue);
    }

    [Fact]
    public async Task ScriptLoadedFromAManifest_NamingOnlyPostLogin_StillRunsItsContinueHandler()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "profile.js"), SpecActions.ProgressiveProfiling, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_folder, ActionFolder.ManifestFileName), """{"actions":[{"file":"profile.js","triggers":["post-login"]}]}""", TestContext.Current.CancellationToken);
        var engine = Engine(ActionFolder.Load(_folder));

        var outcome = await ContinueWithoutEmailAsync(engine);

        Assert.True(outcome.IsDenied, outcome.ToString());
    }

    [Fact]
    public async Task CSharpScriptRegisteredOnce_WithBothHandlers_DeniesContinueWithoutEmail()
    {
        const string Code = """
            void OnExecutePostLogin(LoginEvent @event, ActionApi api)
            {
                if (@event.User.Email is null) api.Redirect.SendUserTo("https://shop.example.com/complete-profile");
            }
            void OnContinuePostLogin(LoginEvent @event, ActionApi api)
            {
                if (@event.User.Email is null) api.Access.Deny("An email address is required.", code: "profile_incomplete");
            }
            """;
        var engine = Engine([new FaableAction("profile-cs", ActionTrigger.PostLogin, Code) { Language = ActionLanguage.CSharp }]);

        var outcome = await ContinueWithoutEmailAsync(engine);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("profile_incomplete", outcome.Denial!.Code);
    }

    [Theory]
    [InlineData(ActionTrigger.Continue, "exports.onExecutePostLogin = async (event, api) => {}", "onContinuePostLogin")]
    [InlineData(ActionTrigger.PostLogin, "exports.onContinuePostLogin = async (event, api) => {}", "onExecutePostLogin")]
    [InlineData(ActionTrigger.PostLogin, "exports.handler = async (event, api) => {}", "onExecutePostLogin")]
    public void TriggerTheScriptDoesNotExport_IsRefusedAtConstruction_NamingTheActionAndTheExport(ActionTrigger trigger, string code, string missing)
    {
        var ex = Assert.Throws<ActionScriptException>(() => Engine([new FaableAction("gate", trigger, code)]));

        Assert.Equal("gate", ex.ActionName);
        Assert.Contains($"does not export {missing}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'gate'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneNameWithTwoScripts_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Engine(
        [
            new FaableAction("profile", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
            new FaableAction("profile", ActionTrigger.Continue, "exports.onContinuePostLogin = async (event, api) => {}"),
        ]));

        Assert.Contains("'profile'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledScript_RunsNoneOfItsHandlers()
    {
        var engine = Engine([new FaableAction("progressive-profiling", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling) { Enabled = false }]);
        var login = LoginEventBuilder.For("user_gh").WithoutEmail().Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "browser-1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Empty(outcome.Trace);
    }
}
