using System.Net;
using Faable.Actions.Flow;
using Faable.Actions.Testing;

namespace Faable.Actions.Tests.Flow;

/// <summary>
/// <see cref="ActionLimits.MaxConcurrentExecutions"/>: runs beyond the cap wait for a slot, give up after
/// <see cref="ActionLimits.ConcurrencyWait"/> with a clear error, and every slot comes back however its run ended.
/// </summary>
public sealed class ExecutionConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FaableActionsOptions Options(int cap, TimeSpan wait, TimeSpan? timeout = null) => new()
    {
        ResumeStateKey = EngineFixture.Key,
        Limits = new ActionLimits { MaxConcurrentExecutions = cap, ConcurrencyWait = wait, Timeout = timeout ?? TimeSpan.FromSeconds(5) },
    };

    private static Task<ActionFlowOutcome> LoginAsync(FaableActionsEngine engine, string userId, CancellationToken? cancellationToken = null)
    {
        var login = LoginEventBuilder.For(userId).Build();
        return engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), cancellationToken ?? Ct);
    }

    [Fact]
    public async Task SecondRun_CapOfOneWhileTheFirstWaitsOnFetch_WaitsThenRunsWhenTheFirstFinishes()
    {
        using var handler = new GateHandler();
        var options = Options(cap: 1, wait: TimeSpan.FromSeconds(5));
        options.FetchHandler = handler;
        var engine = new FaableActionsEngine(
            [new FaableAction("risk", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event, api) => { await fetch('https://risk.example.com/' + event.user.user_id) }")],
            options);

        var first = LoginAsync(engine, "user_1");
        await handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var second = LoginAsync(engine, "user_2");
        await Task.Delay(300, Ct);

        Assert.False(second.IsCompleted);
        Assert.Equal(["/user_1"], handler.Paths);

        handler.Release.SetResult();
        var outcomes = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.All(outcomes, o => Assert.True(o.IsAllowed, o.ToString()));
        Assert.Equal(["/user_1", "/user_2"], handler.Paths);
    }

    [Fact]
    public async Task SecondRun_NoSlotFreedWithinTheWait_FailsWithMaxConcurrentExecutionsAndNeverStarts()
    {
        var runtime = new FakeActionRuntime();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = EngineFixture.Engine(runtime, [runtime.AddAsync("slow", async (e, _) =>
        {
            if (e.User.UserId == "user_slow")
            {
                entered.SetResult();
                await release.Task;
            }
        })], options: Options(cap: 1, wait: TimeSpan.FromMilliseconds(150)));

        var first = LoginAsync(engine, "user_slow");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var second = await LoginAsync(engine, "user_2");
        release.SetResult();
        var firstOutcome = await first;

        Assert.True(second.IsFailed, second.ToString());
        var error = Assert.IsType<ActionLimitExceededException>(second.Error);
        Assert.Equal("MaxConcurrentExecutions", error.Limit);
        Assert.Equal("slow", error.ActionName);
        Assert.Contains("1 actions were already running", error.Message, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxConcurrentExecutions", error.Message, StringComparison.Ordinal);
        Assert.Equal(ActionStepOutcome.Failed, Assert.Single(second.Trace).Outcome);
        Assert.Equal(["slow"], runtime.RunNames);
        Assert.True(firstOutcome.IsAllowed, firstOutcome.ToString());
    }

    [Fact]
    public async Task Slot_ActionThrows_IsReleased()
    {
        var engine = new FaableActionsEngine(
            [new FaableAction("gate", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event) => { if (event.user.user_id === 'user_bad') throw new Error('boom') }")],
            Options(cap: 1, wait: TimeSpan.FromMilliseconds(200)));

        for (var i = 0; i < 3; i++)
        {
            var failed = await LoginAsync(engine, "user_bad");
            var next = await LoginAsync(engine, "user_ok");

            Assert.IsType<ActionScriptException>(failed.Error);
            Assert.True(next.IsAllowed, next.ToString());
        }
    }

    [Fact]
    public async Task Slot_ActionTimesOut_IsReleased()
    {
        var engine = new FaableActionsEngine(
            [new FaableAction("loop", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event) => { if (event.user.user_id === 'user_slow') { while (true) {} } }")],
            Options(cap: 1, wait: TimeSpan.FromMilliseconds(200), timeout: TimeSpan.FromMilliseconds(300)));

        var timedOut = await LoginAsync(engine, "user_slow");
        var next = await LoginAsync(engine, "user_ok");

        Assert.IsType<ActionTimeoutException>(timedOut.Error);
        Assert.True(next.IsAllowed, next.ToString());
    }

    [Fact]
    public async Task Slot_CSharpScriptTimedOutButStillBusy_StaysTakenUntilItsThreadEnds()
    {
        // C# scripts cannot be interrupted: after its timeout the script keeps its thread for ~1.5 s more, and so
        // keeps counting against the cap until that thread is done.
        var code = $$"""
            // {{Guid.NewGuid():N}}
            var sw = System.Diagnostics.Stopwatch.StartNew();
            if (Event.User.UserId == "user_slow") { while (sw.ElapsedMilliseconds < 1800) { } }
            """;
        var engine = new FaableActionsEngine(
            [new FaableAction("busy-cs", ActionTrigger.PostLogin, code) { Language = ActionLanguage.CSharp }],
            Options(cap: 1, wait: TimeSpan.FromMilliseconds(100), timeout: TimeSpan.FromMilliseconds(300)));

        var timedOut = await LoginAsync(engine, "user_slow");
        var whileBusy = await LoginAsync(engine, "user_ok");
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        var afterwards = await LoginAsync(engine, "user_ok");

        Assert.IsType<ActionTimeoutException>(timedOut.Error);
        Assert.Equal(nameof(ActionLimits.MaxConcurrentExecutions), Assert.IsType<ActionLimitExceededException>(whileBusy.Error).Limit);
        Assert.True(afterwards.IsAllowed, afterwards.ToString());
    }

    [Fact]
    public async Task Slot_CallerCancelsARunningAction_IsReleased()
    {
        var runtime = new FakeActionRuntime();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var engine = EngineFixture.Engine(runtime, [runtime.AddAsync("slow", async (e, _) =>
        {
            if (e.User.UserId == "user_slow")
            {
                entered.SetResult();
                // Stands for a runtime that stops when the caller's token is cancelled.
                await Task.Delay(Timeout.Infinite, cancel.Token);
            }
        })], options: Options(cap: 1, wait: TimeSpan.FromMilliseconds(200)));

        using var cancelWaiting = new CancellationTokenSource();

        var first = LoginAsync(engine, "user_slow", cancel.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var waiting = LoginAsync(engine, "user_waiting", cancelWaiting.Token);
        await cancelWaiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var next = await LoginAsync(engine, "user_ok");

        Assert.True(next.IsAllowed, next.ToString());
        Assert.Equal(["slow", "slow"], runtime.RunNames);
    }

    [Fact]
    public async Task Slots_ManyConcurrentLogins_NeverMoreRunAtOnceThanTheCap()
    {
        var runtime = new FakeActionRuntime();
        var running = 0;
        var most = 0;
        var engine = EngineFixture.Engine(runtime, [runtime.AddAsync("work", async (_, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(20, Ct);
            Interlocked.Decrement(ref running);
        })], options: Options(cap: 3, wait: TimeSpan.FromSeconds(30)));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => LoginAsync(engine, $"user_{i}"), Ct)));

        Assert.All(outcomes, o => Assert.True(o.IsAllowed, o.ToString()));
        Assert.InRange(most, 1, 3);
        Assert.Equal(30, runtime.Runs.Count);
    }

    [Fact]
    public void Defaults_AreFourPerProcessorAndFiveSeconds()
    {
        var limits = new ActionLimits();

        Assert.Equal(4 * Environment.ProcessorCount, limits.MaxConcurrentExecutions);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.ConcurrencyWait);
    }

    [Theory]
    [InlineData(0, 1000, "Limits:MaxConcurrentExecutions")]
    [InlineData(-1, 1000, "Limits:MaxConcurrentExecutions")]
    [InlineData(int.MaxValue, 1000, "Limits:MaxConcurrentExecutions")]
    [InlineData(4, 0, "Limits:ConcurrencyWait")]
    [InlineData(4, 120_000, "Limits:ConcurrencyWait")]
    public void Engine_InvalidConcurrencyLimit_IsRefusedNamingTheKey(int cap, int waitMs, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new FaableActionsEngine([], Options(cap, TimeSpan.FromMilliseconds(waitMs))));

        Assert.Contains("Faable:Actions:" + key, error.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Answers every request once <see cref="Release"/> is set, recording the paths in arrival order.</summary>
    private sealed class GateHandler : HttpMessageHandler
    {
        private readonly List<string> _paths = [];

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string[] Paths
        {
            get
            {
                lock (_paths)
                {
                    return [.. _paths];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_paths)
            {
                _paths.Add(request.RequestUri!.AbsolutePath);
            }

            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }
}
