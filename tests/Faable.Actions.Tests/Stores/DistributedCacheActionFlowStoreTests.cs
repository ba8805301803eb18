using System.Text;
using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Faable.Actions.Testing;
using Faable.Actions.Tests.EndToEnd;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Stores;

public sealed class DistributedCacheActionFlowStoreTests : ActionFlowStoreContractTests
{
    private const string Key = "distributed-tests-resume-state-key-32-bytes";
    private readonly MemoryDistributedCache _cache = new(Options.Create(new MemoryDistributedCacheOptions()));
    private readonly DistributedCacheActionFlowStore _store;

    public DistributedCacheActionFlowStoreTests()
    {
        _store = new DistributedCacheActionFlowStore(_cache);
    }

    protected override IActionFlowStore Store => _store;

    [Fact]
    public async Task Block_UnreadableEntry_IsTreatedAsAbsent()
    {
        var ct = TestContext.Current.CancellationToken;
        await _cache.SetAsync("faable:actions:block:u", Encoding.UTF8.GetBytes("{not json"), ct);

        Assert.Null(await _store.GetBlockAsync("u", ct));
    }

    [Fact]
    public async Task TwoInstances_ShareOneCache_ContinueOnTheOtherInstanceAndRejectReplay()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions =
        [
            new("profile", ActionTrigger.PostLogin, SpecActions.ProgressiveProfiling),
            new("profile", ActionTrigger.Continue, SpecActions.ProgressiveProfiling),
        ];
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        var instanceA = new FaableActionsEngine(actions, options, clock, new DistributedCacheActionFlowStore(_cache));
        var instanceB = new FaableActionsEngine(actions, options, clock, new DistributedCacheActionFlowStore(_cache));
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "s");

        var paused = await instanceA.RunPostLoginAsync(login, context, ct);
        var resumed = await instanceB.ContinueAsync(paused.Redirect!.State, login.User with { Email = "ada@example.com" }, context, ct);
        var replay = await instanceA.ContinueAsync(paused.Redirect.State, login.User with { Email = "ada@example.com" }, context, ct);

        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    [Fact]
    public async Task TwoInstances_ShareOneCache_BlockForSetOnOneHoldsOnTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        FaableAction[] actions = [new("fraud", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (e, api) => { if (e.stats.deny_count === 0) api.access.deny('No.', { blockFor: 3600000 }) }")];
        var options = new FaableActionsOptions { ResumeStateKey = Key };
        var instanceA = new FaableActionsEngine(actions, options, clock, new DistributedCacheActionFlowStore(_cache));
        var instanceB = new FaableActionsEngine(actions, options, clock, new DistributedCacheActionFlowStore(_cache));
        var login = LoginEventBuilder.For("user_1").Build();

        var denied = await instanceA.RunPostLoginAsync(login, FlowContext.For(login, "s"), ct);
        var blocked = await instanceB.RunPostLoginAsync(login, FlowContext.For(login, "s"), ct);

        Assert.False(denied.Denial!.FromBlock);
        Assert.True(blocked.Denial!.FromBlock, blocked.ToString());
        Assert.Equal(clock.GetUtcNow().AddHours(1), blocked.Denial.BlockedUntil);
    }
}
