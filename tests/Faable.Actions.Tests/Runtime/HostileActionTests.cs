using System.Diagnostics;
using Faable.Actions.Internal;
using Faable.Actions.Internal.Js;

namespace Faable.Actions.Tests.Runtime;

/// <summary>Actions written to escape or exhaust the sandbox: each is contained with a specific error.</summary>
public sealed class HostileActionTests
{
    private static readonly JavaScriptActionRuntime s_runtime = new();

    private static Task<ActionRecorder> Run(string body, ActionLimits? limits = null, ActionTrigger trigger = ActionTrigger.PostLogin) =>
        RuntimeHarness.RunAsync(s_runtime, $"exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}}", trigger, limits: limits);

    private static async Task<ActionLimitExceededException> AssertLimit(string limit, string body, ActionLimits? limits = null)
    {
        var ex = await Assert.ThrowsAsync<ActionLimitExceededException>(() => Run(body, limits));
        Assert.Equal(limit, ex.Limit);
        return ex;
    }

    [Fact]
    public async Task InfiniteLoop_TimesOutWithinBudget()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(400) };
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("for (;;) {}", limits));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task WorkAwaitWork_SharesOneBudget()
    {
        // Three stretches of work separated by awaits: over a 450 ms budget only if they share it.
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(450) };
        const string Body = """
            const busy = ms => { const until = Date.now() + ms; let n = 0; while (n < ms * 20000) { n++ } }
            busy(300); await null; busy(300); await null; busy(300)
            api.access.deny('finished')
            """;
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAnyAsync<FaableActionException>(() => Run(Body, limits));

        Assert.True(ex is ActionTimeoutException, ex.Message);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task NeverResolvingPromise_TimesOutWithoutWaitingTheInterpreterDefault()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("await new Promise(() => {})", limits));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task AwaitNullForever_StopsAtALimitWithoutExhaustingMemory()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(1) };
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var ex = await Assert.ThrowsAnyAsync<FaableActionException>(() => Run("for (;;) await null", limits));

        Assert.True(ex is ActionTimeoutException or ActionLimitExceededException { Limit: nameof(ActionLimits.MaxMemoryBytes) }, ex.GetType().Name);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 200L * 1024 * 1024, "memory grew past 200 MB");
    }

    [Fact]
    public async Task TimerPastBudget_IsATimeoutWithoutWaiting()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("await new Promise(r => setTimeout(r, 6000)); api.access.deny('late')", limits));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task BusyTimerCallback_TimesOutWithinBudget()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(400) };
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("setTimeout(() => { for (;;) {} }, 10)\nawait new Promise(r => setTimeout(r, 20))", limits));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task BusyContinuationAfterFetch_TimesOutWithinBudget()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(400) };
        using var handler = new InstantHandler();
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => RuntimeHarness.RunAsync(
            s_runtime,
            "exports.onExecutePostLogin = async (event, api) => { await fetch('https://api.example.com/'); for (;;) {} }",
            limits: limits,
            fetch: handler));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task TimerBomb_StopsAtTheTimerCap()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("for (let i = 0; i < 20000; i++) setTimeout(() => {}, 1000)"));

        Assert.Contains("timers are pending", ex.Message, StringComparison.Ordinal);
    }

    // Recursion (plain, through valueOf, a Proxy trap, a template literal, a getter, a constructor, toJSON, a
    // built-in callback) is tested in ProcessIsolationTests: if the guard regressed it would end this process.

    [Fact]
    public async Task ArrayGrowth_StopsAtArraySizeLimit()
    {
        await AssertLimit(nameof(ActionLimits.MaxArraySize), "const a = Array(400000).fill(1)\nfor (;;) a.push(...a)");
    }

    [Fact]
    public async Task StringGrowth_StopsAtMemoryLimit()
    {
        await AssertLimit(nameof(ActionLimits.MaxMemoryBytes), "let s = 'x'\nfor (;;) s = s + s");
    }


    [Theory]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("clr.System")]
    [InlineData("process.exit(1)")]
    [InlineData("Buffer.from('x')")]
    public async Task DotNetOrNodeGlobals_ReferenceErrorWhenReached(string body)
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run(body + "\napi.access.deny('reached')"));

        Assert.Contains($"ReferenceError: {body.Split('(', '.')[0]} is not defined", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not provide", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotNetThroughGlobalThis_IsUndefined()
    {
        var recorder = await Run("api.access.deny(String(typeof globalThis['importNamespace']) + ',' + String(typeof globalThis['System']))");

        Assert.Equal("undefined,undefined", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task RequireFs_ThrowsClearScriptError()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, "const fs = require('fs')\nexports.onExecutePostLogin = async () => {}"));

        Assert.Contains("require of host modules is not available in Faable Actions", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public async Task RequireFs_CannotBeCaughtByTheScript()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("try { require('fs') } catch (e) { api.access.deny('caught') }"));

        Assert.Contains("require('fs')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DynamicImport_ThrowsScriptError()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("await import('fs')"));

        Assert.Contains("import()", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval('importNamespace')")]
    [InlineData("new Function('return System')()")]
    [InlineData("(0, eval)('require(\\'fs\\')')")]
    public async Task StringCompilation_ReachesNothingMoreThanTheActionItself(string body)
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run(body));

        Assert.Matches("ReferenceError|require of host modules is not available", ex.Message);
    }

    [Fact]
    public async Task StringCompilation_BusyLoop_EndsOnTheTimeout()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("eval('for (;;) {}')", limits));
    }

    [Fact]
    public async Task OverwrittenDeny_OnlyTheScriptsOwnViewChanges()
    {
        var recorder = await Run("""
            const real = api.access.deny
            api.access.deny = () => {}
            api.access.deny('swallowed')
            real('recorded')
            """);

        Assert.Equal("recorded", recorder.Deny?.Reason);
        Assert.Single(recorder.Calls);
    }

    [Fact]
    public async Task OverwrittenApi_NextRunGetsAFreshApi()
    {
        await Run("api.access.deny = () => {}; api.redirect = null");
        var recorder = await Run("api.access.deny('fresh')");

        Assert.Equal("fresh", recorder.Deny?.Reason);
    }

    [Theory]
    [InlineData("api.access.allow()", "api.access.allow", "deny, review")]
    [InlineData("api.idToken.setCustomClaim('a', 1)", "api.idToken", "access, redirect")]
    public async Task UnknownApiMember_NamesItAndListsWhatExists(string body, string member, string existing)
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run(body));

        Assert.Contains(member + " is not part of the Faable Actions api", ex.Message, StringComparison.Ordinal);
        Assert.Contains(existing, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public async Task ThrowString_ThrowsScriptErrorSayingSo()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("throw 'nope'"));

        Assert.Contains("threw a string instead of an Error: 'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrowObject_ThrowsScriptErrorShowingIt()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("await null; throw { code: 42 }"));

        Assert.Contains("non-Error value (object {\"code\":42})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DenyThenSendUserTo_BothRecordedDenyFirst()
    {
        var recorder = await Run("api.access.deny('no'); api.redirect.sendUserTo('https://shop.example.com/p')");

        Assert.Equal("no", recorder.Deny?.Reason);
        Assert.Equal(["api.access.deny", "api.redirect.sendUserTo"], recorder.Calls.Select(c => c.Method));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("java\\tscript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("//evil.example")]
    [InlineData("https://good.example@evil.example/")]
    public async Task SendUserTo_DangerousUrl_ThrowsAndRecordsNoRedirect(string url)
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run($"try {{ api.redirect.sendUserTo('{url}') }} catch (e) {{ api.access.deny('caught') }}"));

        Assert.Contains("sendUserTo refused the URL", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("const line = 'x'.repeat(1024 * 1024)\nfor (let i = 0; i < 10; i++) console.log(line)")]
    [InlineData("console.log('x'.repeat(10 * 1024 * 1024))")]
    public async Task ConsoleFlood_TenMegabytes_TruncatedToQuotaWithBoundedMemory(string flood)
    {
        var limits = new ActionLimits();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var recorder = await Run(flood + "\napi.access.deny('done')", limits);

        // No fetch and no timer: the whole run stays on this thread, so its allocations are all counted here.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(recorder.ConsoleTruncated);
        Assert.True(recorder.Console.Sum(l => l.Text.Length) <= limits.MaxConsoleBytes);
        Assert.Equal("done", recorder.Deny?.Reason);
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task ConsoleFlood_ManyLines_KeepsAtMostTheLineQuota()
    {
        var limits = new ActionLimits { MaxConsoleLines = 50 };

        var recorder = await Run("for (let i = 0; i < 100000; i++) console.log('line ' + i)", limits);

        Assert.Equal(50, recorder.Console.Count);
        Assert.True(recorder.ConsoleTruncated);
    }

    [Fact]
    public async Task PrototypePollution_DoesNotLeakIntoTheNextRun()
    {
        await Run("Object.prototype.polluted = 'yes'; Array.prototype.push = () => 0");
        var recorder = await Run("api.access.deny(String(({}).polluted) + ',' + [1].push(2))");

        Assert.Equal("undefined,2", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task InvalidBlockFor_ThrowsScriptError()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => Run("api.access.deny('no', { blockFor: '2 weeks' })"));

        Assert.Contains("blockFor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_AddsNoGlobal_AndIgnoresBuiltInsTheModuleReplaces()
    {
        // The runner hands the module its arguments and nothing else, and reads what it needs of the realm before the
        // module's first line: replacing Promise.resolve, call or bind cannot change how the handler is called.
        var recorder = await RuntimeHarness.RunAsync(s_runtime, """
            const own = Object.getOwnPropertyNames(globalThis).filter(n => n.includes('faable') || n.includes('host'))
            Promise.resolve = () => { throw new Error('replaced resolve') }
            Function.prototype.call = () => { throw new Error('replaced call') }
            Function.prototype.bind = () => { throw new Error('replaced bind') }
            exports.onExecutePostLogin = async (event, api) => {
              api.access.deny('globals: [' + own.join(',') + '] this: ' + (thisAtLoad === module.exports))
            }
            var thisAtLoad = this
            """);

        Assert.Equal("globals: [] this: true", recorder.Deny?.Reason);
        Assert.Single(recorder.Calls);
    }

    private sealed class InstantHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") });
    }
}
