using Faable.Actions.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Stores;

public sealed class InMemoryActionFlowStoreTests : ActionFlowStoreContractTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly InMemoryActionFlowStore _store;

    public InMemoryActionFlowStoreTests()
    {
        _store = new InMemoryActionFlowStore(_clock);
    }

    protected override IActionFlowStore Store => _store;

    [Fact]
    public async Task Entries_PastTheirTimeToLive_AreGone()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.SaveFlowStateAsync("k", [1], TimeSpan.FromMinutes(1), ct);
        await _store.SetBlockAsync("u", new ActionBlock("a", "r", null, _clock.GetUtcNow().AddMinutes(1)), TimeSpan.FromMinutes(1), ct);
        await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), ct);

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await _store.GetFlowStateAsync("k", ct));
        Assert.False(await _store.TryDeleteFlowStateAsync("k", ct));
        Assert.Null(await _store.GetBlockAsync("u", ct));
        Assert.Equal(0, await _store.GetDenyCountAsync("u", "a", ct));
        Assert.Equal(1, await _store.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), ct));
    }

    [Fact]
    public async Task FlowState_ConcurrentDeletes_ExactlyOneSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.SaveFlowStateAsync("k", [1], TimeSpan.FromMinutes(1), ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => _store.TryDeleteFlowStateAsync("k", ct).AsTask(), ct)));

        Assert.Single(results, r => r);
    }
}
