using Faable.Actions.Events;
using Faable.Actions.Flow;
using Faable.Actions.Loading;
using Faable.Actions.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests;

/// <summary>The xunit test shown in the package README, verbatim, so the README cannot drift from the API.</summary>
public sealed class ReadmeExampleTests
{
    private readonly FaableActionsEngine _engine = new(
        ActionFolder.Load("actions"),                       // e.g. actions/10-progressive-profiling.js
        new FaableActionsOptions(),                         // no ResumeStateKey needed: an ephemeral key per engine
        new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task GitHubUserWithoutEmail_IsAskedForOne_ThenAllowed()
    {
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().AsSignup().Build();
        var context = FlowContext.For(login, sessionId: "browser-1");
        var ct = TestContext.Current.CancellationToken;

        var paused = await _engine.RunPostLoginAsync(login, context, ct);
        Assert.True(paused.IsRedirected, paused.ToString());
        Assert.StartsWith("https://shop.example.com/complete-profile?state=", paused.Redirect!.Url, StringComparison.Ordinal);

        var resumed = await _engine.ContinueAsync(paused.Redirect.State, login.User with { Email = "ada@example.com" }, context, ct);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.True(resumed.IsSignup);

        var replay = await _engine.ContinueAsync(paused.Redirect.State, login.User, context, ct);
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    [Fact]
    public async Task EventAsFaableLogsIt_RunsAndSnapshots()
    {
        var ct = TestContext.Current.CancellationToken;
        var engine = new FaableActionsEngine(
            [new FaableAction("network", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event, api) => { if (event.request.ip_network_active_blocks > 2) api.access.review('blocked_network') }")],
            new FaableActionsOptions());

        var login = LoginEvent.FromJson("""
            {
              "user": { "user_id": "user_gh", "email_verified": true, "app_metadata": { "plan": "pro" } },
              "connection": { "name": "github", "strategy": "github" },
              "request": { "ip": "203.0.113.9", "ip_network_active_blocks": 3 },
              "stats": { "is_new_user": true }
            }
            """);
        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, sessionId: "browser-1"), ct);
        Assert.True(outcome.HasReview("blocked_network"), outcome.ToString());
        string snapshot = login.ToJson(indented: true);

        Assert.Contains("\"ip_network_active_blocks\": 3", snapshot, StringComparison.Ordinal);
    }
}
