using Faable.Actions.Internal.Js;
using Faable.Actions.Tests.EndToEnd;

namespace Faable.Actions.Tests.Runtime;

/// <summary>The two actions of the platform contract (§4), run unchanged.</summary>
public sealed class SpecActionTests
{
    // The sources, verbatim from the contract, live in one place for the runtime and the end-to-end tests.
    private const string Gate = SpecActions.Gate;
    private const string ProgressiveProfiling = SpecActions.ProgressiveProfiling;

    private static readonly JavaScriptActionRuntime s_runtime = new();

    [Fact]
    public async Task Gate_UnverifiedEmail_Denied()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, Gate, loginEvent: RuntimeHarness.Event(verified: false));

        Assert.Equal("Verify your email address first.", recorder.Deny?.Reason);
        Assert.Null(recorder.RedirectUrl);
    }

    [Fact]
    public async Task Gate_VerifiedWithoutTerms_RedirectedToTerms()
    {
        var loginEvent = RuntimeHarness.Event();
        loginEvent.User.AppMetadata!.Remove("terms_accepted_at");

        var recorder = await RuntimeHarness.RunAsync(s_runtime, Gate, loginEvent: loginEvent);

        Assert.Null(recorder.Deny);
        Assert.Equal("https://shop.example.com/terms", recorder.RedirectUrl);
    }

    [Fact]
    public async Task Gate_VerifiedWithTerms_NoDecision()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, Gate);

        Assert.Empty(recorder.Calls);
    }

    [Fact]
    public async Task ProgressiveProfiling_PostLoginWithoutEmail_Redirected()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, ProgressiveProfiling, loginEvent: RuntimeHarness.Event(email: null));

        Assert.Equal("https://shop.example.com/complete-profile", recorder.RedirectUrl);
        Assert.Null(recorder.Deny);
    }

    [Fact]
    public async Task ProgressiveProfiling_ContinueWithoutEmail_DeniedWithCode()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, ProgressiveProfiling, ActionTrigger.Continue, RuntimeHarness.Event(email: null));

        Assert.Equal("An email address is required.", recorder.Deny?.Reason);
        Assert.Equal("profile_incomplete", recorder.Deny?.Code);
        Assert.Null(recorder.RedirectUrl);
    }

    [Fact]
    public async Task ProgressiveProfiling_ContinueWithEmail_NoDecision()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, ProgressiveProfiling, ActionTrigger.Continue);

        Assert.Empty(recorder.Calls);
    }
}
