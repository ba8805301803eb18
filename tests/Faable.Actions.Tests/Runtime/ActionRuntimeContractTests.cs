using System.Diagnostics;
using Faable.Actions.Internal;

namespace Faable.Actions.Tests.Runtime;

/// <summary>
/// The behaviour both runtimes share. Each subclass gives the same scenarios in its own language; the assertions
/// are the same for both, so the C# script runtime cannot drift from the JavaScript one.
/// </summary>
public abstract class ActionRuntimeContractTests
{
    private protected abstract IActionRuntime Runtime { get; }

    /// <summary>Denies with reason 'No.', code 'c1', blockFor '48h' and details { a: 1 }.</summary>
    protected abstract string DenyWithOptions { get; }

    /// <summary>Reviews with code 'suspicious' and details { score: 3 }.</summary>
    protected abstract string Review { get; }

    /// <summary>Sends the user to https://shop.example.com/terms.</summary>
    protected abstract string Redirect { get; }

    /// <summary>Logs 'hello' with console.log and 'bad' with console.error.</summary>
    protected abstract string Console { get; }

    /// <summary>Denies with a reason joining the event fields with '|' (see the expected string in the test).</summary>
    protected abstract string EventFields { get; }

    /// <summary>Awaits twice (a 100 ms timer, then a completed task) and then denies with 'after awaits'.</summary>
    protected abstract string Async { get; }

    /// <summary>Denies with 'denied' and then sends the user to https://shop.example.com/x.</summary>
    protected abstract string DenyThenRedirect { get; }

    /// <summary>Sends the user to javascript:alert(1).</summary>
    protected abstract string InvalidRedirect { get; }

    /// <summary>Awaits something that never completes.</summary>
    protected abstract string NeverFinishes { get; }

    /// <summary>Denies with a reason of 1,025 characters.</summary>
    protected abstract string DenyWithOverlongReason { get; }

    /// <summary>Post-login denies 'post'; continue denies 'continue'.</summary>
    protected abstract string BothTriggers { get; }

    /// <summary>Has only a post-login handler.</summary>
    protected abstract string PostLoginOnly { get; }

    /// <summary>Throws an error with message 'boom' on line 2 of the source.</summary>
    protected abstract string Throws { get; }

    [Fact]
    public async Task Deny_WithOptions_RecordsReasonCodeBlockForAndDetails()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, DenyWithOptions);

        Assert.NotNull(recorder.Deny);
        Assert.Equal("No.", recorder.Deny.Reason);
        Assert.Equal("c1", recorder.Deny.Code);
        Assert.Equal(TimeSpan.FromHours(48), recorder.Deny.BlockFor);
        Assert.Equal(1, (int)recorder.Deny.Details!["a"]!);
    }

    [Fact]
    public async Task Review_WithDetails_RecordsReviewAndNoDeny()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, Review);

        var review = Assert.Single(recorder.Reviews);
        Assert.Equal("suspicious", review.Code);
        Assert.Equal(3, (int)review.Details!["score"]!);
        Assert.Null(recorder.Deny);
    }

    [Fact]
    public async Task SendUserTo_HttpsUrl_RecordsRedirect()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, Redirect);

        Assert.Equal("https://shop.example.com/terms", recorder.RedirectUrl);
        Assert.Equal("api.redirect.sendUserTo", Assert.Single(recorder.Calls).Method);
    }

    [Fact]
    public async Task Console_LogAndError_CapturedWithLevels()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, Console);

        Assert.Equal([("log", "hello"), ("error", "bad")], recorder.Console.Select(l => (l.Level, l.Text)));
        Assert.False(recorder.ConsoleTruncated);
    }

    [Fact]
    public async Task Event_Fields_ReadWithFaableNames()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, EventFields);

        Assert.Equal(
            "user_123|ada@example.com|true|pro|dark|client_shop|github/github|203.0.113.9|Mozilla/5.0|en-GB,en;q=0.8|desktop|true|1234|3",
            recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Async_SeveralAwaits_CompletesBeforeReturning()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, Async);

        Assert.Equal("after awaits", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task DenyAndRedirect_SameAction_BothRecordedInOrder()
    {
        var recorder = await RuntimeHarness.RunAsync(Runtime, DenyThenRedirect);

        Assert.Equal(["api.access.deny", "api.redirect.sendUserTo"], recorder.Calls.Select(c => c.Method));
        Assert.Equal("denied", recorder.Deny?.Reason);
        Assert.Equal("https://shop.example.com/x", recorder.RedirectUrl);
    }

    [Fact]
    public async Task SendUserTo_JavaScriptUrl_ThrowsScriptErrorAndRecordsNothing()
    {
        ActionRecorder? recorder = null;
        var ex = await Assert.ThrowsAsync<ActionScriptException>(async () => recorder = await RuntimeHarness.RunAsync(Runtime, InvalidRedirect));

        Assert.Contains("javascript:", ex.Message, StringComparison.Ordinal);
        Assert.Equal("test-action", ex.ActionName);
    }

    [Fact]
    public async Task DenyReason_LongerThanTheBound_IsAScriptErrorNamingTheBound()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(Runtime, DenyWithOverlongReason));

        Assert.Contains("1025 characters; at most 1024", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverFinishing_Action_TimesOutWithinBudget()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(500) };
        Runtime.Prepare(new FaableAction("test-action", ActionTrigger.PostLogin, NeverFinishes) { Language = Runtime.Language }, RuntimeHarness.Environment());
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ActionTimeoutException>(() => RuntimeHarness.RunAsync(Runtime, NeverFinishes, limits: limits));

        Assert.Equal(TimeSpan.FromMilliseconds(500), ex.Timeout);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Continue_FileWithBothHandlers_RunsContinueHandler()
    {
        var post = await RuntimeHarness.RunAsync(Runtime, BothTriggers, ActionTrigger.PostLogin);
        var resumed = await RuntimeHarness.RunAsync(Runtime, BothTriggers, ActionTrigger.Continue);

        Assert.Equal("post", post.Deny?.Reason);
        Assert.Equal("continue", resumed.Deny?.Reason);
    }

    [Fact]
    public async Task Continue_FileWithoutContinueHandler_ThrowsListingWhatExists()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(Runtime, PostLoginOnly, ActionTrigger.Continue));

        Assert.Contains("onContinuePostLogin", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("onExecutePostLogin", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Throwing_Action_ThrowsScriptErrorWithLine()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(Runtime, Throws));

        Assert.Contains("boom", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public async Task Prepare_ValidAction_DoesNotThrow()
    {
        var action = new FaableAction("ok", ActionTrigger.PostLogin, Redirect) { Language = Runtime.Language };

        Runtime.Prepare(action, RuntimeHarness.Environment());
        var recorder = await RuntimeHarness.RunAsync(Runtime, Redirect);

        Assert.NotNull(recorder.RedirectUrl);
    }
}
