using System.Diagnostics;
using System.Net;
using Faable.Actions.Internal;
using Faable.Actions.Internal.Js;

namespace Faable.Actions.Tests.Runtime;

/// <summary>
/// The limits mean what Faable's mean: time ends code that only computes, memory counts what an action holds,
/// a single oversized allocation is refused before it is made, and a regular expression never outlives the budget.
/// </summary>
[Collection(nameof(SandboxLimitsGroup))]
public sealed class ActionLimitsTests
{
    private static readonly JavaScriptActionRuntime s_runtime = new();

    private static Task<ActionRecorder> Run(string body, ActionLimits? limits = null, HttpMessageHandler? fetch = null) =>
        RuntimeHarness.RunAsync(s_runtime, $"exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}}", limits: limits, fetch: fetch);

    [Fact]
    public async Task TwentyMillionAdditions_CompleteOrTimeOut_NeverAnotherLimit()
    {
        const string Body = "let s = 0\nfor (let i = 0; i < 20000000; i++) { s = s + i }\napi.access.deny(String(s))";

        try
        {
            var recorder = await Run(Body);
            Assert.Equal("199999990000000", recorder.Deny?.Reason);
        }
        catch (FaableActionException ex)
        {
            Assert.IsType<ActionTimeoutException>(ex);
        }
    }

    [Fact]
    public async Task ArithmeticThatMakesGarbage_IsNotChargedForIt()
    {
        // Allocates several hundred MB of short-lived numbers, strings and objects, and holds none of them.
        const string Body = """
            let n = 0
            for (let i = 0; i < 1500000; i++) { const o = { a: i * 1.5, s: 'k' + i }; n += o.s.length }
            api.access.deny(String(n))
            """;
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(30), MaxMemoryBytes = 16L << 20 };

        var recorder = await Run(Body, limits);

        Assert.Equal("10888890", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task BusyLoop_EndsWithTheFiveSecondTimeout()
    {
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("for (;;) {}"));

        Assert.Contains("did not finish within 5000 ms", ex.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(4.9), $"ended after {stopwatch.Elapsed}: something other than the budget stopped it");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"ended after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task HoldingMoreThanTheLimit_FailsWithMaxMemoryBytes()
    {
        var limits = new ActionLimits { MaxMemoryBytes = 32L << 20 };

        var ex = await Assert.ThrowsAsync<ActionLimitExceededException>(() => Run("const kept = []\nfor (;;) kept.push('x'.repeat(100000) + kept.length)", limits));

        Assert.Equal(nameof(ActionLimits.MaxMemoryBytes), ex.Limit);
        Assert.Contains("live memory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HoldingLessThanTheLimit_WhileMakingGarbage_Completes()
    {
        // Keeps 8 MB, and allocates and drops several times the 32 MB limit.
        const string Body = """
            const kept = []
            for (let i = 0; i < 400; i++) { const s = 'y'.repeat(200000) + i; if (i % 10 === 0) kept.push(s) }
            api.access.deny(String(kept.length))
            """;

        var recorder = await Run(Body, new ActionLimits { MaxMemoryBytes = 32L << 20, Timeout = TimeSpan.FromSeconds(30) });

        Assert.Equal("40", recorder.Deny?.Reason);
    }

    [Theory]
    [InlineData("'x'.repeat(2 ** 29)")]
    [InlineData("'x'.repeat(2 ** 26)")]
    [InlineData("''.padEnd(2 ** 28, 'ab')")]
    [InlineData("'a'.padStart(2 ** 28)")]
    [InlineData("'a'.concat('b'.repeat(2 ** 24), 'c'.repeat(2 ** 24))")]
    [InlineData("Array(500000).fill('x'.repeat(1000)).join('')")]
    [InlineData("Array(500000).fill('').join('x'.repeat(100))")]
    [InlineData("new Uint8Array(2 ** 30)")]
    [InlineData("new Float64Array(2 ** 27)")]
    [InlineData("new (new Uint8Array(1).constructor)(2 ** 30)")]
    [InlineData("new ArrayBuffer(2 ** 30)")]
    [InlineData("new (new Uint8Array(1).buffer.constructor)(2 ** 30)")]
    [InlineData("new ArrayBuffer(8, { maxByteLength: 2 ** 30 })")]
    [InlineData("new ArrayBuffer(8).transfer(2 ** 30)")]
    [InlineData("new (new (Function('return this')().Int8Array)(1).buffer.constructor)(2 ** 30)")]
    [InlineData("new (Object.getOwnPropertyDescriptor(Function('return this')(), 'Float32Array').value)(2 ** 28)")]
    [InlineData("new Int8Array(1).buffer.transfer(2 ** 30)")]
    [InlineData("new TextEncoder().encode('\\u00e9'.repeat(2 ** 24))")]
    [InlineData("let s = 'x'.repeat(2 ** 24)\ns = s + s + s + s\ns.indexOf('y')")]
    public async Task OversizedSingleAllocation_IsRefusedNamingTheLimit(string body)
    {
        var ex = await Assert.ThrowsAsync<ActionLimitExceededException>(() => Run($"try {{ {body} }} catch (e) {{ api.access.deny('caught ' + e) }}"));

        Assert.Equal(nameof(ActionLimits.MaxMemoryBytes), ex.Limit);
        Assert.Contains("MaxMemoryBytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'x'.repeat(1000).length", "1000")]
    [InlineData("'7'.padStart(3, '0')", "007")]
    [InlineData("[1, 'a', null, undefined, 2.5].join('-')", "1-a---2.5")]
    [InlineData("new Uint8Array(4).length + ':' + (new Uint8Array(2) instanceof Uint8Array) + ':' + Uint8Array.name", "4:true:Uint8Array")]
    [InlineData("String.prototype.repeat.name + String.prototype.repeat.length + [].join.name", "repeat1join")]
    [InlineData("'a-b'.replace(/-/, '+') + 'x1y2'.split(/\\d/).join('')", "a+bxy")]
    [InlineData("new TextEncoder().encode('h\\u00e9').length", "3")]
    public async Task GuardedBuiltIns_BehaveAsInNode(string expression, string expected)
    {
        var recorder = await Run($"api.access.deny(String({expression}))");

        Assert.Equal(expected, recorder.Deny?.Reason);
    }

    [Fact]
    public async Task CatastrophicRegexLoop_EndsWithTheTimeoutWithinTheBudget()
    {
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("const s = 'a'.repeat(40) + '!'\nfor (;;) { try { /^(a+)+$/.test(s) } catch (e) { } }", limits));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(800), $"ended after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task RegexMadeEarly_UsedLate_GetsOnlyTheTimeLeft()
    {
        // The expression is made with the whole budget ahead of it, then used after a 1.5 s request: it must stop
        // with the budget, not 3 s after its creation.
        var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(3) };
        using var slow = new DelayedHandler(TimeSpan.FromSeconds(1.5));
        const string Body = """
            const re = /^(a+)+$/
            await fetch('https://profile.example.com/slow')
            re.test('a'.repeat(40) + '!')
            """;
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run(Body, limits, slow));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3) + TimeSpan.FromMilliseconds(800), $"ended after {stopwatch.Elapsed}");
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
