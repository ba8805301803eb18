using Faable.Tests.Shared;
using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Faable.Actions.Testing;
using Faable.Actions.Tests.EndToEnd;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Stores;

/// <summary>
/// <see cref="DistributedCacheActionFlowStore"/> over a real Redis, with two engines on two connections standing
/// for two instances of an application behind one load balancer.
/// </summary>
public sealed class DistributedCacheActionFlowStoreRedisTests : ActionFlowStoreContractTests, IAsyncLifetime
{
    private const string Key = "redis-tests-resume-state-key-of-32-bytes-or-more";
    private readonly List<RedisCache> _caches = [];
    private LocalRedis? _redis;
    private DistributedCacheActionFlowStore? _store;

    protected override IActionFlowStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        _redis = await LocalRedis.StartAsync(TestContext.Current.CancellationToken);
        _store = NewInstanceStore();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private DistributedCacheActionFlowStore NewInstanceStore()
    {
        var cache = new RedisCache(new RedisCacheOptions { Configuration = _redis!.Configuration, InstanceName = "shop:" });
        _caches.Add(cache);
        return new DistributedCacheActionFlowStore(cache);
    }

    [Fact]
    public async Task TwoInstances_ProgressiveProfiling_ResumesOnTheOtherInstanceAndRefusesReplayAndForeignSession()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions =
        [
            new("profile", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
            new("profile", ActionTrigger.Continue, SpecActions.ProgressiveProfiling),
        ];
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        var instanceA = new FaableActionsEngine(actions, options, clock, NewInstanceStore());
        var instanceB = new FaableActionsEngine(actions, options, clock, NewInstanceStore());
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().AsSignup().Build();
        var context = FlowContext.For(login, "browser-1");
        var withEmail = login.User with { Email = "ada@example.com" };

        var paused = await instanceA.RunPostLoginAsync(login, context, ct);
        var foreign = await instanceB.ContinueAsync(paused.Redirect!.State, withEmail, FlowContext.For(login, "browser-2"), ct);
        var resumed = await instanceB.ContinueAsync(paused.Redirect.State, withEmail, context, ct);
        var replay = await instanceA.ContinueAsync(paused.Redirect.State, withEmail, context, ct);

        Assert.Equal(ResumeStateRejection.WrongSession, foreign.Rejection);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.True(resumed.IsSignup);
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    [Fact]
    public async Task TwoInstances_BlockForAndDenyCount_AreShared()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions =
        [
            new("fraud", ActionTrigger.PostLogin, """
                exports.onExecutePostLogin = async (event, api) => {
                  console.log('deny_count=' + event.stats.deny_count)
                  if (event.stats.deny_count < 2) api.access.deny('Wait.', { blockFor: '1h' })
                }
                """),
        ];
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        var instanceA = new FaableActionsEngine(actions, options, clock, NewInstanceStore());
        var instanceB = new FaableActionsEngine(actions, options, clock, NewInstanceStore());
        var login = LoginEventBuilder.For("user_1").Build();
        var context = FlowContext.For(login, "s");

        var denied = await instanceA.RunPostLoginAsync(login, context, ct);
        var blocked = await instanceB.RunPostLoginAsync(login, context, ct);
        clock.Advance(TimeSpan.FromHours(1));
        var allowed = await instanceB.RunPostLoginAsync(login, context, ct);

        Assert.True(denied.IsDenied && !denied.Denial!.FromBlock, denied.ToString());
        Assert.True(blocked.IsDenied && blocked.Denial!.FromBlock, blocked.ToString());
        Assert.True(allowed.IsAllowed, allowed.ToString());
        Assert.Equal("deny_count=2", Assert.Single(allowed.Trace[0].Console).Text);
    }
}
