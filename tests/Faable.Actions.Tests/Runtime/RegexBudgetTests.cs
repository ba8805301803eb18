using System.Diagnostics;
using System.Net;
using Faable.Actions.Internal.Js;

namespace Faable.Actions.Tests.Runtime;

/// <summary>
/// A regular expression made early and used late gets only the time left in the budget, whichever built-in runs it.
/// Each case makes a catastrophic expression before a slow request and runs it after: without the re-timing it would
/// keep its first timeout and end a whole budget after the request, well past the action's deadline.
/// </summary>
[Collection(nameof(SandboxLimitsGroup))]
public sealed class RegexBudgetTests
{
    private static readonly JavaScriptActionRuntime s_runtime = new();

    [Theory]
    [InlineData("re.test(s)")]
    [InlineData("re.exec(s)")]
    [InlineData("s.match(re)")]
    [InlineData("[...s.matchAll(reGlobal)]")]
    [InlineData("it.next()")]
    [InlineData("s.replace(re, 'x')")]
    [InlineData("s.replace(re, () => 'x')")]
    [InlineData("s.replaceAll(reGlobal, 'x')")]
    [InlineData("s.search(re)")]
    [InlineData("s.split(re)")]
    [InlineData("re[Symbol.match](s)")]
    [InlineData("RegExp.prototype.test.call(re, s)")]
    [InlineData("reUnicodeSets.test(s)")]
    [InlineData("new RegExp('^(a+)+$', 'v').test(s)")]
    public async Task RegexMadeBeforeASlowRequest_UsedAfter_EndsWithTheBudget(string use)
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(2) };
        using var slow = new DelayedHandler(TimeSpan.FromSeconds(1.2));
        var code = $$"""
            const s = 'a'.repeat(40) + '!'
            const re = /^(a+)+$/
            const reGlobal = /^(a+)+$/g
            const reUnicodeSets = /^(a+)+$/v
            const it = s.matchAll(/^(a+)+$/g)
            exports.onExecutePostLogin = async (event, api) => {
              await fetch('https://profile.example.com/slow');
              {{use}}
            }
            """;

        // Parsed (and the runtime warmed) before the clock starts: the deadline counts from the run's start.
        s_runtime.Prepare(new FaableAction("test-action", ActionTrigger.PostLogin, code), RuntimeHarness.Environment(limits));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => RuntimeHarness.RunAsync(s_runtime, code, limits: limits, fetch: slow));

        // The budget ends at 2 s; without re-timing the expression would run until about 3.2 s (1.2 s + its first 2 s).
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.8), $"ended after {stopwatch.Elapsed}");
    }

    /// <summary>Answers every request after a real delay, as a slow profile service would.</summary>
    private sealed class DelayedHandler(TimeSpan delay) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }
}
