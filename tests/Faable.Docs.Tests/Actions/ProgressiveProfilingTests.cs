// <snippet:actions-xunit-test>
using Faable.Actions;
using Faable.Actions.Flow;
using Faable.Actions.Loading;
using Faable.Actions.Testing;
using Microsoft.Extensions.Time.Testing;
// </snippet:actions-xunit-test>

namespace Faable.Docs.Tests.Actions;

// <snippet:actions-xunit-test>
public sealed class ProgressiveProfilingTests
{
    private readonly FaableActionsEngine _engine = new(
        ActionFolder.Load("actions"),                       // actions/10-progressive-profiling.js, copied to the output
        new FaableActionsOptions(),                         // no ResumeStateKey needed: an ephemeral key per engine
        new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task GitHubUserWithoutEmail_IsAskedForOne_ThenAllowed()
    {
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().AsSignup().Build();
        var context = FlowContext.For(login, sessionId: "browser-1");
        var ct = TestContext.Current.CancellationToken;

        var paused = await _engine.RunPostLoginAsync(login, context, ct);
        Assert.True(paused.IsRedirected, paused.ToString());   // ToString prints every action's calls and console
        Assert.StartsWith("https://shop.example.com/complete-profile?state=", paused.Redirect!.Url, StringComparison.Ordinal);

        var resumed = await _engine.ContinueAsync(paused.Redirect.State, login.User with { Email = "ada@example.com" }, context, ct);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.True(resumed.IsSignup);

        var replay = await _engine.ContinueAsync(paused.Redirect.State, login.User, context, ct);
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }
}
// </snippet:actions-xunit-test>
