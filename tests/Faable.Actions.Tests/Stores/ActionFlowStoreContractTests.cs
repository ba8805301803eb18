using Faable.Actions.Stores;

namespace Faable.Actions.Tests.Stores;

/// <summary>What every <see cref="IActionFlowStore"/> must do; each store's test class derives from this.</summary>
public abstract class ActionFlowStoreContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract IActionFlowStore Store { get; }

    [Fact]
    public async Task FlowState_SavedThenRead_RoundTrips()
    {
        await Store.SaveFlowStateAsync("k1", [1, 2, 3], TimeSpan.FromMinutes(10), Ct);

        Assert.Equal([1, 2, 3], await Store.GetFlowStateAsync("k1", Ct));
        Assert.Null(await Store.GetFlowStateAsync("k2", Ct));
    }

    [Fact]
    public async Task FlowState_Deleted_OnlyFirstDeleteSucceeds()
    {
        await Store.SaveFlowStateAsync("k1", [1], TimeSpan.FromMinutes(10), Ct);

        Assert.True(await Store.TryDeleteFlowStateAsync("k1", Ct));
        Assert.False(await Store.TryDeleteFlowStateAsync("k1", Ct));
        Assert.Null(await Store.GetFlowStateAsync("k1", Ct));
        Assert.False(await Store.TryDeleteFlowStateAsync("never", Ct));
    }

    [Fact]
    public async Task Block_ShorterThanTheStandingOne_KeepsTheStandingOne()
    {
        var start = new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero);
        var week = new ActionBlock("fraud", "Blocked for a week.", "week", start.AddDays(7));
        await Store.SetBlockAsync("user_x", week, TimeSpan.FromDays(7), Ct);

        await Store.SetBlockAsync("user_x", new ActionBlock("fraud", "Blocked for an hour.", "hour", start.AddHours(1)), TimeSpan.FromHours(1), Ct);

        Assert.Equal(week, await Store.GetBlockAsync("user_x", Ct));
    }

    [Fact]
    public async Task Block_LongerThanTheStandingOne_ReplacesIt()
    {
        var start = new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero);
        await Store.SetBlockAsync("user_y", new ActionBlock("fraud", "Blocked for an hour.", "hour", start.AddHours(1)), TimeSpan.FromHours(1), Ct);
        var week = new ActionBlock("fraud", "Blocked for a week.", "week", start.AddDays(7));

        await Store.SetBlockAsync("user_y", week, TimeSpan.FromDays(7), Ct);

        Assert.Equal(week, await Store.GetBlockAsync("user_y", Ct));
    }

    [Fact]
    public async Task Block_ManyExtensionsAtOnce_TheLongestStands()
    {
        var start = new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero);
        var hours = Enumerable.Range(1, 40).OrderBy(_ => Guid.NewGuid()).ToArray();

        await Task.WhenAll(hours.Select(h => Store.SetBlockAsync("user_z", new ActionBlock("fraud", $"{h}h", null, start.AddHours(h)), TimeSpan.FromHours(h), Ct).AsTask()));

        Assert.Equal("40h", (await Store.GetBlockAsync("user_z", Ct))!.Reason);
    }

    [Fact]
    public async Task Block_SetThenRead_RoundTripsPerUser()
    {
        var until = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Store.SetBlockAsync("user_1", new ActionBlock("fraud", "Blocked.", "f", until), TimeSpan.FromHours(1), Ct);

        Assert.Equal(new ActionBlock("fraud", "Blocked.", "f", until), await Store.GetBlockAsync("user_1", Ct));
        Assert.Null(await Store.GetBlockAsync("user_2", Ct));
    }

    [Fact]
    public async Task DenyCount_Incremented_CountsPerUserAndAction()
    {
        Assert.Equal(0, await Store.GetDenyCountAsync("u", "a", Ct));

        Assert.Equal(1, await Store.IncrementDenyCountAsync("u", "a", TimeSpan.FromDays(1), Ct));
        Assert.Equal(2, await Store.IncrementDenyCountAsync("u", "a", TimeSpan.FromDays(1), Ct));
        Assert.Equal(1, await Store.IncrementDenyCountAsync("u", "b", TimeSpan.FromDays(1), Ct));

        Assert.Equal(2, await Store.GetDenyCountAsync("u", "a", Ct));
        Assert.Equal(0, await Store.GetDenyCountAsync("v", "a", Ct));
    }

    [Fact]
    public async Task DenyCount_UserAndActionWithColons_DoNotCollide()
    {
        await Store.IncrementDenyCountAsync("a:b", "c", TimeSpan.FromDays(1), Ct);

        Assert.Equal(0, await Store.GetDenyCountAsync("a", "b:c", Ct));
    }

    [Fact]
    public async Task TimeToLive_NotPositive_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SaveFlowStateAsync("k", [1], TimeSpan.Zero, Ct).AsTask());
}
