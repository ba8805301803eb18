using Faable.Redis;
using System.Text;
using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Faable.Actions.Testing;
using Faable.Actions.Tests.EndToEnd;
using Faable.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Faable.Actions.Tests.Stores;

/// <summary>
/// <see cref="RedisActionFlowStore"/> over a real <c>redis-server</c>: the shared contract, then the guarantees it
/// exists for (atomic single use and counting across connections), time to live, prefixes and outages. Each test
/// works under its own key prefix on the class's server.
/// </summary>
public sealed class RedisActionFlowStoreTests : ActionFlowStoreContractTests, IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private const string Key = "redis-store-tests-resume-state-key-of-32-bytes";
    private readonly RedisServerFixture _server;
    private readonly string _prefix = $"{{test-{Guid.NewGuid():N}}}:";
    private RedisActionFlowStore? _store;
    private IDatabase? _db;

    public RedisActionFlowStoreTests(RedisServerFixture server)
    {
        _server = server;
    }

    protected override IActionFlowStore Store => _store!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connection = await _server.ConnectAsync();
        _db = connection.GetDatabase();
        _store = new RedisActionFlowStore(connection, new FaableRedisOptions { KeyPrefix = _prefix });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // Stores on separate connections, standing for separate application instances.
    private async Task<RedisActionFlowStore[]> InstancesAsync(int count)
    {
        var stores = new RedisActionFlowStore[count];
        for (var i = 0; i < count; i++)
        {
            stores[i] = new RedisActionFlowStore(await _server.ConnectAsync(), new FaableRedisOptions { KeyPrefix = _prefix });
        }

        return stores;
    }

    // Starts every call at once, so that a read-then-write implementation would interleave.
    private static async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await call(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(calls);
    }

    [Fact]
    public async Task TryDeleteFlowState_ManyConcurrentCallersOnSeparateConnections_ExactlyOneSucceedsPerFlow()
    {
        var stores = await InstancesAsync(4);
        for (var round = 0; round < 25; round++)
        {
            var key = $"flow-{round}";
            await _store!.SaveFlowStateAsync(key, [1, 2, 3], TimeSpan.FromMinutes(10), Ct);

            var results = await AllAtOnceAsync(40, i => stores[i % stores.Length].TryDeleteFlowStateAsync(key, Ct).AsTask());

            Assert.Equal(1, results.Count(r => r));
            Assert.Null(await _store.GetFlowStateAsync(key, Ct));
        }
    }

    [Fact]
    public async Task TwoEngines_SameStateContinuedConcurrentlyFromBoth_ExactlyOneResumes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions =
        [
            new("profile", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
            new("profile", ActionTrigger.Continue, SpecActions.ProgressiveProfiling),
        ];
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        var stores = await InstancesAsync(2);
        var engines = stores.Select(s => new FaableActionsEngine(actions, options, clock, s)).ToArray();
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "browser-1");
        var withEmail = login.User with { Email = "ada@example.com" };

        for (var round = 0; round < 5; round++)
        {
            var paused = await engines[round % 2].RunPostLoginAsync(login, context, Ct);
            Assert.True(paused.IsRedirected, paused.ToString());

            var outcomes = await AllAtOnceAsync(20, i => engines[i % 2].ContinueAsync(paused.Redirect!.State, withEmail, context, Ct));

            Assert.Equal(1, outcomes.Count(o => o.IsAllowed));
            Assert.All(outcomes.Where(o => !o.IsAllowed), o => Assert.Equal(ResumeStateRejection.UnknownOrUsed, o.Rejection));
        }
    }

    [Fact]
    public async Task IncrementDenyCount_FiftyConcurrentOnSeparateConnections_AllCountAndTheWindowIsSet()
    {
        var stores = await InstancesAsync(5);
        var window = TimeSpan.FromMinutes(30);

        var counts = await AllAtOnceAsync(50, i => stores[i % stores.Length].IncrementDenyCountAsync("user_1", "fraud", window, Ct).AsTask());

        Assert.Equal(Enumerable.Range(1, 50), counts.Order());
        Assert.Equal(50, await _store!.GetDenyCountAsync("user_1", "fraud", Ct));
        var ttl = await _db!.KeyTimeToLiveAsync(_store.CountKey("user_1", "fraud"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(29), window);
    }

    [Fact]
    public async Task Entries_AreWrittenWithTheirTimeToLive()
    {
        await _store!.SaveFlowStateAsync("k", [1], TimeSpan.FromMinutes(10), Ct);
        await _store.SetBlockAsync("u", new ActionBlock("a", "r", null, DateTimeOffset.UnixEpoch), TimeSpan.FromHours(1), Ct);
        await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromDays(30), Ct);

        var flowTtl = await _db!.ExecuteAsync("PTTL", _store.FlowKey("k"));
        var blockTtl = await _db.ExecuteAsync("PTTL", _store.BlockKey("u"));
        var countTtl = await _db.ExecuteAsync("PTTL", _store.CountKey("u", "a"));

        Assert.InRange((long)flowTtl, TimeSpan.FromMinutes(9).TotalMilliseconds, TimeSpan.FromMinutes(10).TotalMilliseconds);
        Assert.InRange((long)blockTtl, TimeSpan.FromMinutes(59).TotalMilliseconds, TimeSpan.FromHours(1).TotalMilliseconds);
        Assert.InRange((long)countTtl, TimeSpan.FromDays(29).TotalMilliseconds, TimeSpan.FromDays(30).TotalMilliseconds);
    }

    [Fact]
    public async Task IncrementDenyCount_AgainWithinTheWindow_RestartsTheWindow()
    {
        await _store!.IncrementDenyCountAsync("u", "a", TimeSpan.FromSeconds(10), Ct);
        await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromHours(1), Ct);

        var ttl = (long)await _db!.ExecuteAsync("PTTL", _store.CountKey("u", "a"));

        Assert.InRange(ttl, TimeSpan.FromMinutes(59).TotalMilliseconds, TimeSpan.FromHours(1).TotalMilliseconds);
    }

    [Fact]
    public async Task TimeToLive_BelowOneMillisecond_IsStoredAsOneMillisecond()
    {
        await _store!.SaveFlowStateAsync("k", [1], TimeSpan.FromTicks(1), Ct);
        await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromTicks(1), Ct);

        await Task.Delay(50, Ct);

        Assert.Null(await _store.GetFlowStateAsync("k", Ct));
        Assert.Equal(0, await _store.GetDenyCountAsync("u", "a", Ct));
    }

    [Fact]
    public async Task Entries_PastTheirTimeToLive_AreGone()
    {
        await _store!.SaveFlowStateAsync("k", [1], TimeSpan.FromMilliseconds(50), Ct);
        await _store.SetBlockAsync("u", new ActionBlock("a", "r", null, DateTimeOffset.UnixEpoch), TimeSpan.FromMilliseconds(50), Ct);
        await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromMilliseconds(50), Ct);

        await Task.Delay(250, Ct);

        Assert.Null(await _store.GetFlowStateAsync("k", Ct));
        Assert.False(await _store.TryDeleteFlowStateAsync("k", Ct));
        Assert.Null(await _store.GetBlockAsync("u", Ct));
        Assert.Equal(0, await _store.GetDenyCountAsync("u", "a", Ct));
    }

    [Fact]
    public async Task TwoEngines_BlockForWrittenByOne_IsHonouredByTheOther()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions =
        [
            new("fraud", ActionTrigger.PostLogin, """
                exports.onExecutePostLogin = async (event, api) => {
                  console.log('deny_count=' + event.stats.deny_count)
                  if (event.stats.deny_count === 0) api.access.deny('Wait.', { blockFor: '1h' })
                }
                """),
        ];
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        var stores = await InstancesAsync(2);
        var instanceA = new FaableActionsEngine(actions, options, clock, stores[0]);
        var instanceB = new FaableActionsEngine(actions, options, clock, stores[1]);
        var login = LoginEventBuilder.For("user_1").Build();
        var context = FlowContext.For(login, "s");

        var denied = await instanceA.RunPostLoginAsync(login, context, Ct);
        var blocked = await instanceB.RunPostLoginAsync(login, context, Ct);
        clock.Advance(TimeSpan.FromHours(1));
        var allowed = await instanceB.RunPostLoginAsync(login, context, Ct);

        Assert.True(denied.IsDenied && !denied.Denial!.FromBlock, denied.ToString());
        Assert.True(blocked.IsDenied && blocked.Denial!.FromBlock, blocked.ToString());
        Assert.Equal(clock.GetUtcNow(), blocked.Denial.BlockedUntil);
        Assert.True(allowed.IsAllowed, allowed.ToString());
        Assert.Equal("deny_count=2", Assert.Single(allowed.Trace[0].Console).Text);
    }

    [Fact]
    public async Task TwoPrefixes_OnOneServer_DoNotSeeEachOther()
    {
        var connection = await _server.ConnectAsync();
        var shop = new RedisActionFlowStore(connection, new FaableRedisOptions { KeyPrefix = _prefix + "shop:" });
        var blog = new RedisActionFlowStore(connection, new FaableRedisOptions { KeyPrefix = _prefix + "blog:" });
        await shop.SaveFlowStateAsync("k", [1], TimeSpan.FromMinutes(1), Ct);
        await shop.SetBlockAsync("u", new ActionBlock("a", "r", null, DateTimeOffset.UnixEpoch), TimeSpan.FromMinutes(1), Ct);
        await shop.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), Ct);

        Assert.Null(await blog.GetFlowStateAsync("k", Ct));
        Assert.False(await blog.TryDeleteFlowStateAsync("k", Ct));
        Assert.Null(await blog.GetBlockAsync("u", Ct));
        Assert.Equal(0, await blog.GetDenyCountAsync("u", "a", Ct));
        Assert.Equal(1, await blog.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), Ct));

        Assert.Equal([1], await shop.GetFlowStateAsync("k", Ct));
        Assert.NotNull(await shop.GetBlockAsync("u", Ct));
        Assert.Equal(1, await shop.GetDenyCountAsync("u", "a", Ct));
    }

    [Fact]
    public async Task Keys_AreUnderThePrefixWithALengthPrefixedUser()
    {
        await _store!.SaveFlowStateAsync("k", [1], TimeSpan.FromMinutes(1), Ct);
        await _store.SetBlockAsync("a:b", new ActionBlock("x", "r", null, DateTimeOffset.UnixEpoch), TimeSpan.FromMinutes(1), Ct);
        await _store.IncrementDenyCountAsync("a:b", "c", TimeSpan.FromMinutes(1), Ct);

        var keys = (RedisResult[])(await _db!.ExecuteAsync("KEYS", _prefix + "*"))!;

        Assert.Equal(
            [_prefix + "blocks:a:b", _prefix + "deny-counts:3:a:b:c", _prefix + "flows:k"],
            keys.Select(k => (string)k!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Block_UnreadableEntry_IsTreatedAsAbsent()
    {
        await _db!.StringSetAsync(_store!.BlockKey("u"), "{not json");

        Assert.Null(await _store.GetBlockAsync("u", Ct));
    }

    [Fact]
    public async Task DenyCount_UnreadableEntry_IsTreatedAsAbsentAndStartsAgain()
    {
        await _db!.StringSetAsync(_store!.CountKey("u", "a"), "lots");

        Assert.Equal(0, await _store.GetDenyCountAsync("u", "a", Ct));
        Assert.Equal(1, await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task FlowState_BinaryPayload_RoundTripsByteForByte()
    {
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await _store!.SaveFlowStateAsync("k", payload, TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(payload, await _store.GetFlowStateAsync("k", Ct));
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("shop", "must end with ':'")]
    [InlineData("{shop} actions:", "whitespace or control characters")]
    [InlineData("{shop}\n:", "whitespace or control characters")]
    [InlineData("shop:actions:", "has no Redis hash tag; put a non-empty part of it in braces, e.g. '{shop:actions}:'")]
    [InlineData("{}:shop:", "has no Redis hash tag")]
    [InlineData("shop}{:", "has no Redis hash tag")]
    public void Constructor_InvalidKeyPrefix_ThrowsNamingTheKeyAndTheFix(string prefix, string problem)
    {
        var connection = ConnectionMultiplexer.Connect(_server.Redis.Configuration);

        var error = Assert.Throws<ArgumentException>(() => new RedisActionFlowStore(connection, new FaableRedisOptions { KeyPrefix = prefix }));

        Assert.Contains("Faable:Actions:Redis:KeyPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        connection.Dispose();
    }

    [Fact]
    public void Constructor_KeyPrefixTooLong_Throws()
    {
        using var connection = ConnectionMultiplexer.Connect(_server.Redis.Configuration);

        var error = Assert.Throws<ArgumentException>(() => new RedisActionFlowStore(connection, new FaableRedisOptions { KeyPrefix = "{" + new string('a', 200) + "}:" }));

        Assert.Contains("at most 128", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisDown_EveryOperation_ThrowsActionFlowStoreException()
    {
        await using var redis = await LocalRedis.StartAsync(Ct);
        var store = new RedisActionFlowStore(await _server.ConnectAsync(redis, timeoutMs: 300));
        await redis.StopAsync();

        var errors = await Task.WhenAll(
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.SaveFlowStateAsync("k", [1], TimeSpan.FromMinutes(1), Ct).AsTask()),
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.GetFlowStateAsync("k", Ct).AsTask()),
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.TryDeleteFlowStateAsync("k", Ct).AsTask()),
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.GetBlockAsync("u", Ct).AsTask()),
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.SetBlockAsync("u", new ActionBlock("a", "r", null, DateTimeOffset.UnixEpoch), TimeSpan.FromMinutes(1), Ct).AsTask()),
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.GetDenyCountAsync("u", "a", Ct).AsTask()),
            Assert.ThrowsAsync<ActionFlowStoreException>(() => store.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), Ct).AsTask()));

        Assert.Equal(
            ["SaveFlowState", "GetFlowState", "TryDeleteFlowState", "GetBlock", "SetBlock", "GetDenyCount", "IncrementDenyCount"],
            errors.Select(e => e.Operation));
        Assert.All(errors, e => Assert.True(e.InnerException is RedisException or TimeoutException, e.InnerException?.GetType().Name));
    }

    [Fact]
    public async Task RedisDown_Engine_FailsClosedWithoutThrowingAndNeverContinuesTheState()
    {
        await using var redis = await LocalRedis.StartAsync(Ct);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions =
        [
            new("profile", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
            new("profile", ActionTrigger.Continue, SpecActions.ProgressiveProfiling),
        ];
        var engine = new FaableActionsEngine(actions, new FaableActionsOptions { ResumeStateKey = Key }, clock, new RedisActionFlowStore(await _server.ConnectAsync(redis, timeoutMs: 300)));
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "browser-1");
        var paused = await engine.RunPostLoginAsync(login, context, Ct);
        Assert.True(paused.IsRedirected, paused.ToString());

        await redis.StopAsync();
        var resumed = await engine.ContinueAsync(paused.Redirect!.State, login.User with { Email = "ada@example.com" }, context, Ct);
        var fresh = await engine.RunPostLoginAsync(login, context, Ct);

        Assert.True(resumed.IsFailed, resumed.ToString());
        Assert.IsType<ActionFlowStoreException>(resumed.Error);
        Assert.Empty(resumed.Trace);
        Assert.True(fresh.IsFailed, fresh.ToString());
        Assert.Equal("GetBlock", Assert.IsType<ActionFlowStoreException>(fresh.Error).Operation);
        Assert.DoesNotContain(paused.Redirect.State, resumed.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DistributedCacheKeys_OnTheSameServer_AreNotReadAsRedisStoreEntries()
    {
        // The distributed-cache store writes hashes under "faable:actions:block:…"; this store's segments differ.
        await _db!.HashSetAsync(_prefix + "block:u", "data", Encoding.UTF8.GetBytes("{}"));

        Assert.Null(await _store!.GetBlockAsync("u", Ct));
    }
}
