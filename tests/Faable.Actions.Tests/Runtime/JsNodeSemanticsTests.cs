using Faable.Actions.Internal;
using Faable.Actions.Internal.Js;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.Actions.Tests.Runtime;

/// <summary>JavaScript that runs on Node runs the same here: each case failed before the emulator was fixed.</summary>
public sealed class JsNodeSemanticsTests
{
    private static readonly JavaScriptActionRuntime s_runtime = new();

    private static Task<ActionRecorder> Run(string code) => RuntimeHarness.RunAsync(s_runtime, code);

    private static Task<ActionRecorder> RunBody(string body) =>
        Run($"exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}}");

    [Fact]
    public async Task Handler_ReturnsThenable_IsAwaitedAndItsDenyCounts()
    {
        var recorder = await Run("""
            exports.onExecutePostLogin = (event, api) => ({ then(resolve) { api.access.deny('from then', { code: 'thenable' }); resolve() } })
            """);

        Assert.Equal("from then", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task AsyncHandler_ReturnsThenableSettlingOnATimer_IsAwaited()
    {
        var recorder = await Run("""
            exports.onExecutePostLogin = async (event, api) => ({ then(resolve) { setTimeout(() => { api.access.deny('late'); resolve() }, 10) } })
            """);

        Assert.Equal("late", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Handler_ReturnsThenableThatRejects_FailsWithItsError()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("""
            exports.onExecutePostLogin = () => ({ then(resolve, reject) { reject(new TypeError('bad thenable')) } })
            """));

        Assert.Contains("TypeError: bad thenable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownGlobal_InsideTryCatch_IsACatchableReferenceError()
    {
        var recorder = await RunBody("try { Buffer.from('x') } catch (e) { api.access.deny(e.name) }");

        Assert.Equal("ReferenceError", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task UnknownGlobal_BehindTypeof_RunsAsInNode()
    {
        var recorder = await RunBody("api.access.deny(typeof process !== 'undefined' ? 'node' : 'not node')");

        Assert.Equal("not node", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task UnknownGlobal_Reached_ReferenceErrorSaysTheEmulatorDoesNotProvideIt()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RunBody("process.exit(1)"));

        Assert.StartsWith("Action 'test-action' (2:1): ReferenceError: process is not defined", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not provide: process", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownGlobal_ReportedAsAWarningWhenTheEngineIsBuilt()
    {
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)));

        _ = new FaableActionsEngine(
            [new FaableAction("geo", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async () => { if (typeof Deno === 'undefined') return }")],
            new FaableActionsOptions(),
            loggerFactory: loggers);

        var warning = Assert.Single(collector.GetSnapshot(), r => r.Id.Id == 3009);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Deno", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueMicrotask_RunsAfterSyncCodeAndBeforeTimers()
    {
        var recorder = await RunBody("""
            const order = []
            setTimeout(() => order.push('timer'), 0)
            queueMicrotask(() => order.push('microtask'))
            order.push('sync')
            await new Promise(r => setTimeout(r, 1))
            api.access.deny(order.join(','))
            """);

        Assert.Equal("sync,microtask,timer", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task QueueMicrotask_CallbackThrows_FailsTheActionAsAnUncaughtException()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RunBody("""
            queueMicrotask(() => { throw new RangeError('in a microtask') })
            await new Promise(r => setTimeout(r, 1))
            """));

        Assert.Contains("RangeError: in a microtask", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueMicrotask_WithoutAFunction_ThrowsTypeError()
    {
        var recorder = await RunBody("try { queueMicrotask(1) } catch (e) { api.access.deny(e.name) }");

        Assert.Equal("TypeError", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Normalize_Nfd_SplitsTheDiaeresisAsNodeDoes()
    {
        var recorder = await RunBody("api.access.deny(String('Zoë'.normalize('NFD').length) + ',' + 'Zoe\\u0308'.normalize('NFC').length)");

        Assert.Equal("4,3", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Normalize_UnderInvariantGlobalization_RefusesInsteadOfReturningTheTextUnchanged()
    {
        var script = Path.Combine(Path.GetTempPath(), $"faable-probe-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, "exports.onExecutePostLogin = async () => { if ('abc'.normalize('NFD') !== 'abc') throw new Error('ascii'); 'Zoë'.normalize('NFD') }", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, output, error) = await ProcessIsolationTests.RunProbeAsync(script, new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });

            Assert.True(exitCode == 0, error);
            Assert.StartsWith("ActionScriptException||", output, StringComparison.Ordinal);
            Assert.Contains("invariant globalization", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task EvalAndNewFunction_RunAsInNode()
    {
        var recorder = await RunBody("api.access.deny(String(eval('1 + 2') + new Function('a', 'return a * 2')(5)))");

        Assert.Equal("13", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task SloppyModule_AssignmentToAnUndeclaredName_CreatesAGlobalAsInNode()
    {
        var recorder = await RunBody("implicitName = 'set'; api.access.deny(globalThis.implicitName)");

        Assert.Equal("set", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task UseStrict_AssignmentToAnUndeclaredName_ThrowsReferenceError()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("'use strict'\nexports.onExecutePostLogin = async () => { strictName = 1 }"));

        Assert.Contains("ReferenceError", ex.Message, StringComparison.Ordinal);
    }
}
