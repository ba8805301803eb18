using Faable.Actions;
using Faable.Actions.Loading;
using Faable.Actions.Testing;
using Faable.Actions.Flow;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>The sample's <c>actions/</c> folder, run by the Faable.Actions engine exactly as the local tenant loads it.</summary>
public sealed class ProgressiveProfilingActionTests
{
    private const string ProfileUrl = "http://localhost:5080/profile";

    [Fact]
    public void Folder_Loaded_HasThePostLoginAndContinueActions()
    {
        var actions = ActionFolder.Load(Path.Combine(RepoPaths.SampleProject, "actions"));

        Assert.Contains(actions, a => a.Trigger == ActionTrigger.PostLogin && a.Name == "progressive-profiling" && a.Enabled);
        Assert.Contains(actions, a => a.Trigger == ActionTrigger.Continue && a.Name == "progressive-profiling" && a.Enabled);
    }

    [Fact]
    public async Task PostLogin_UserWithoutEmail_IsSentToTheProfilePageWithAState()
    {
        var engine = NewEngine();

        var outcome = await engine.RunPostLoginAsync(LoginEventBuilder.For("user_1").ForClient("orders-web", "Orders").ViaConnection("github").Build(), new FlowContext("orders-web", "session-1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsRedirected, outcome.Result.ToString());
        Assert.Equal(ProfileUrl, outcome.Redirect!.RequestedUrl);
        Assert.StartsWith(ProfileUrl + "?state=", outcome.Redirect.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLogin_UserWithEmail_IsAllowed()
    {
        var engine = NewEngine();

        var outcome = await engine.RunPostLoginAsync(LoginEventBuilder.For("user_1").ForClient("orders-web", "Orders").WithEmail("ada@example.com").Build(), new FlowContext("orders-web", "session-1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.Result.ToString());
    }

    [Fact]
    public async Task Continue_StillNoEmail_IsDeniedWithTheDocumentedReasonAndCode()
    {
        var engine = NewEngine();
        var context = new FlowContext("orders-web", "session-1");
        var paused = await engine.RunPostLoginAsync(LoginEventBuilder.For("user_1").ForClient("orders-web", "Orders").ViaConnection("github").Build(), context, TestContext.Current.CancellationToken);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, LoginEventBuilder.For("user_1").BuildUser(), context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.Result.ToString());
        Assert.Equal("An email address is required.", outcome.Denial!.Reason);
        Assert.Equal("profile_incomplete", outcome.Denial.Code);
    }

    [Fact]
    public async Task Continue_EmailAdded_IsAllowed()
    {
        var engine = NewEngine();
        var context = new FlowContext("orders-web", "session-1");
        var paused = await engine.RunPostLoginAsync(LoginEventBuilder.For("user_1").ForClient("orders-web", "Orders").ViaConnection("github").Build(), context, TestContext.Current.CancellationToken);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, LoginEventBuilder.For("user_1").WithEmail("linus@example.com", verified: false).BuildUser(), context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.Result.ToString());
    }

    private static FaableActionsEngine NewEngine()
    {
        var options = new FaableActionsOptions { ResumeStateKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)) };
        options.Limits.AllowHttpLoopbackRedirects = true;
        return new FaableActionsEngine(ActionFolder.Load(Path.Combine(RepoPaths.SampleProject, "actions")), options);
    }
}
