using Faable.Actions.Flow;
using Faable.Actions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.EndToEnd;

/// <summary>The spec's actions, unchanged, through the real JavaScript runtime and the public API only.</summary>
public sealed class SpecActionTests
{
    private const string Key = "spec-tests-resume-state-key-32-bytes-or-more";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));

    private FaableActionsEngine Engine(params FaableAction[] actions) =>
        new(actions, new FaableActionsOptions { ResumeStateKey = Key }, _clock);

    private static FaableAction[] ProfilingActions() =>
    [
        new("progressive-profiling", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
        new("progressive-profiling", ActionTrigger.Continue, SpecActions.ProgressiveProfiling),
    ];

    [Fact]
    public async Task Gate_UnverifiedEmail_Denied()
    {
        var engine = Engine(new FaableAction("gate", ActionTrigger.PostLogin, SpecActions.Gate));
        var login = LoginEventBuilder.For("user_1").WithEmail("ada@example.com", verified: false).Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("Verify your email address first.", outcome.Denial!.Reason);
        Assert.Equal("gate", outcome.Denial.ActionName);
    }

    [Fact]
    public async Task Gate_VerifiedWithoutTerms_RedirectedToTermsWithState()
    {
        var engine = Engine(new FaableAction("gate", ActionTrigger.PostLogin, SpecActions.Gate));
        var login = LoginEventBuilder.For("user_1").WithEmail("ada@example.com").Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsRedirected, outcome.ToString());
        Assert.Equal("https://shop.example.com/terms?state=" + outcome.Redirect!.State, outcome.Redirect.Url);
    }

    [Fact]
    public async Task Gate_VerifiedWithTermsAccepted_Allowed()
    {
        var engine = Engine(new FaableAction("gate", ActionTrigger.PostLogin, SpecActions.Gate));
        var login = LoginEventBuilder.For("user_1").WithEmail("ada@example.com").WithAppMetadata("terms_accepted_at", "2026-01-01").Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
    }

    [Fact]
    public async Task ProgressiveProfiling_GitHubUserWithoutEmail_RedirectedThenAllowedOnceEmailGiven()
    {
        var engine = Engine(ProfilingActions());
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().AsSignup().Build();
        var context = FlowContext.For(login, "browser-1");

        var paused = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);
        var resumed = await engine.ContinueAsync(paused.Redirect!.State, login.User with { Email = "ada@example.com" }, context, TestContext.Current.CancellationToken);

        Assert.True(paused.IsRedirected, paused.ToString());
        Assert.StartsWith("https://shop.example.com/complete-profile?state=", paused.Redirect.Url, StringComparison.Ordinal);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.True(resumed.IsSignup);
        Assert.Equal(ActionTrigger.Continue, Assert.Single(resumed.Trace).Trigger);
    }

    [Fact]
    public async Task ProgressiveProfiling_ContinueStillWithoutEmail_Denied()
    {
        var engine = Engine(ProfilingActions());
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "browser-1");

        var paused = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);
        var resumed = await engine.ContinueAsync(paused.Redirect!.State, login.User, context, TestContext.Current.CancellationToken);

        Assert.True(resumed.IsDenied, resumed.ToString());
        Assert.Equal("An email address is required.", resumed.Denial!.Reason);
        Assert.Equal("profile_incomplete", resumed.Denial.Code);
        Assert.False(resumed.IsSignup);
    }

    [Fact]
    public async Task ProgressiveProfiling_SameStateTwice_SecondRejected()
    {
        var engine = Engine(ProfilingActions());
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "browser-1");
        var paused = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);
        var withEmail = login.User with { Email = "ada@example.com" };

        var first = await engine.ContinueAsync(paused.Redirect!.State, withEmail, context, TestContext.Current.CancellationToken);
        var replay = await engine.ContinueAsync(paused.Redirect.State, withEmail, context, TestContext.Current.CancellationToken);

        Assert.True(first.IsAllowed, first.ToString());
        Assert.True(replay.IsRejected, replay.ToString());
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    [Fact]
    public async Task ProgressiveProfiling_UserWithEmail_AllowedWithoutRedirect()
    {
        var engine = Engine(ProfilingActions());
        var login = LoginEventBuilder.For("user_1").WithEmail("ada@example.com").Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
    }

    [Fact]
    public async Task BlockFor_RealScript_PersistsAcrossCallsOnTheVirtualClock()
    {
        const string code = """
            exports.onExecutePostLogin = async (event, api) => {
              console.log('deny_count=' + event.stats.deny_count + ' now=' + new Date(Date.now()).toISOString())
              if (event.user.app_metadata.flagged && event.stats.deny_count < 1) {
                api.access.deny('Account under review.', { blockFor: '48h', code: 'fraud' })
              }
            }
            """;
        var engine = Engine(new FaableAction("fraud", ActionTrigger.PostLogin, code));
        var login = LoginEventBuilder.For("user_1").WithAppMetadata("flagged", true).Build();
        var context = FlowContext.For(login, "s");

        var first = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromHours(47));
        var blocked = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromHours(1));
        var after = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);

        Assert.True(first.IsDenied, first.ToString());
        Assert.Equal(new DateTimeOffset(2026, 5, 14, 10, 0, 0, TimeSpan.Zero), first.Denial!.BlockedUntil);
        Assert.Equal("deny_count=0 now=2026-05-12T10:00:00.000Z", Assert.Single(first.Trace[0].Console).Text);
        Assert.True(blocked.IsDenied && blocked.Denial!.FromBlock, blocked.ToString());
        Assert.Empty(blocked.Trace[0].Console);
        Assert.True(after.IsAllowed, after.ToString());
        Assert.Equal("deny_count=2 now=2026-05-14T10:00:00.000Z", Assert.Single(after.Trace[0].Console).Text);
    }

    [Fact]
    public async Task Chain_RealScripts_DenyThenRedirectInOneActionDenies()
    {
        const string code = """
            exports.onExecutePostLogin = async (event, api) => {
              api.access.deny('No.')
              api.redirect.sendUserTo('https://shop.example.com/x')
            }
            """;
        var engine = Engine(new FaableAction("both", ActionTrigger.PostLogin, code));
        var login = LoginEventBuilder.For("user_1").Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal(2, outcome.Trace[0].ApiCalls.Count);
    }

    [Fact]
    public async Task Chain_RealScriptLoopsForever_FailsClosedWithTimeout()
    {
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        options.Limits.Timeout = TimeSpan.FromMilliseconds(300);
        var engine = new FaableActionsEngine(
            [
                new FaableAction("spin", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async () => { for (;;) {} }") { Order = 1 },
                new FaableAction("never", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (e, api) => { console.log('ran') }") { Order = 2 },
            ],
            options,
            _clock);
        var login = LoginEventBuilder.For("user_1").Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsFailed, outcome.ToString());
        Assert.IsType<ActionTimeoutException>(outcome.Error);
        Assert.Single(outcome.Trace);
    }

    [Fact]
    public async Task Chain_RealScripts_ReviewAndConsoleAppearInTrace()
    {
        const string code = """
            exports.onExecutePostLogin = async (event, api) => {
              console.log('checking', event.user.user_id)
              if (event.request.ip === '203.0.113.9') api.access.review('new_ip', { ip: event.request.ip })
            }
            """;
        var engine = Engine(new FaableAction("risk", ActionTrigger.PostLogin, code));
        var login = LoginEventBuilder.For("user_1").FromIp("203.0.113.9").Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        var review = Assert.Single(outcome.Reviews);
        Assert.Equal("new_ip", review.Code);
        Assert.Equal("203.0.113.9", (string)review.Details!["ip"]!);
        Assert.Equal("checking user_1", Assert.Single(outcome.Trace[0].Console).Text);
        Assert.Contains("console.log: checking user_1", outcome.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_CSharpScriptAction_RunsInTheSameChain()
    {
        const string js = "exports.onExecutePostLogin = async (event, api) => { console.log('js first') }";
        const string csx = """
            if (Event.User.Email is null) { Api.Access.Deny("C# says no email."); }
            """;
        var engine = Engine(
            new FaableAction("js", ActionTrigger.PostLogin, js) { Order = 1 },
            new FaableAction("cs", ActionTrigger.PostLogin, csx) { Order = 2, Language = ActionLanguage.CSharp });
        var login = LoginEventBuilder.For("user_1").WithoutEmail().Build();

        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal(("cs", "C# says no email."), (outcome.Denial!.ActionName, outcome.Denial.Reason));
    }
}
