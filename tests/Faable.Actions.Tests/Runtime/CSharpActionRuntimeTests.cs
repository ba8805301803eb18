using System.Diagnostics;
using Faable.Actions.Internal;
using Faable.Actions.Internal.CSharp;

namespace Faable.Actions.Tests.Runtime;

public sealed class CSharpActionRuntimeTests
{
    private static readonly CSharpActionRuntime s_runtime = new();

    [Fact]
    public void Prepare_CompileError_ReportsLineAndDiagnostic()
    {
        var action = new FaableAction("broken", ActionTrigger.PostLogin, "var x = 1;\nApi.Access.Deny(42);") { Language = ActionLanguage.CSharp };

        var ex = Assert.Throws<ActionScriptException>(() => s_runtime.Prepare(action, RuntimeHarness.Environment()));

        Assert.Contains("does not compile", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Prepare_PastTheCompileBound_RefusesNewScriptsButKeepsCompiledOnes()
    {
        var runtime = new CSharpActionRuntime(maxCompiledScripts: 2);
        FaableAction Script(int i) => new($"script-{i}", ActionTrigger.PostLogin, $"Api.Access.Review(\"{i}-{Guid.NewGuid():N}\");") { Language = ActionLanguage.CSharp };
        var first = Script(1);
        runtime.Prepare(first, RuntimeHarness.Environment());
        runtime.Prepare(Script(2), RuntimeHarness.Environment());

        var ex = Assert.Throws<ActionScriptException>(() => runtime.Prepare(Script(3), RuntimeHarness.Environment()));
        runtime.Prepare(first, RuntimeHarness.Environment());

        Assert.Contains("already compiled 2 distinct C# scripts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, runtime.CompiledCount);
    }

    [Fact]
    public void Prepare_SameSourceTwice_CompilesOnce()
    {
        var code = $"Api.Access.Review(\"{Guid.NewGuid():N}\");";
        var action = new FaableAction("cached", ActionTrigger.PostLogin, code) { Language = ActionLanguage.CSharp };
        var before = s_runtime.CompiledCount;

        s_runtime.Prepare(action, RuntimeHarness.Environment());
        s_runtime.Prepare(action with { }, RuntimeHarness.Environment());

        Assert.Equal(before + 1, s_runtime.CompiledCount);
    }

    [Fact]
    public async Task BusyScript_AbandonedAtTimeout_LateCallsAreDropped()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(300) };
        const string Code = """
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 3000) { }
            Api.Access.Deny("late");
            """;
        var action = new FaableAction("busy", ActionTrigger.PostLogin, Code) { Language = ActionLanguage.CSharp };
        s_runtime.Prepare(action, RuntimeHarness.Environment());
        var recorder = new ActionRecorder(limits);
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => s_runtime.RunAsync(action, ActionTrigger.PostLogin, RuntimeHarness.Event(), recorder, new ActionRunEnvironment(limits, TimeProvider.System, null), TestContext.Current.CancellationToken));
        var returnedAfter = stopwatch.Elapsed;
        await Task.Delay(3500, TestContext.Current.CancellationToken);

        Assert.True(returnedAfter < TimeSpan.FromSeconds(2), $"returned after {returnedAfter}");
        Assert.Empty(recorder.Calls);
    }

    [Fact]
    public async Task TopLevelStatementsWithHandlerMethods_Refused()
    {
        const string Code = """
            Api.Access.Deny("top");
            void OnContinuePostLogin() { }
            """;

        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, Code, ActionTrigger.Continue));

        Assert.Contains("keeps only declarations", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public async Task ContinueTrigger_BodyOnlyScript_ListsWhatItDeclares()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, "Api.Access.Deny(\"x\");", ActionTrigger.Continue));

        Assert.Contains("OnContinuePostLogin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("top-level statements", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deny_BlockForBeyondAYear_ThrowsScriptError()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, "Api.Access.Deny(\"no\", blockFor: TimeSpan.FromDays(400));"));

        Assert.Contains("365 days", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Globals_TriggerAndIpFields_Available()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, "Api.Access.Deny($\"{Trigger}|{Event.Request.IpDatacenter}\");");

        Assert.Equal("PostLogin|True", recorder.Deny?.Reason);
    }
}
