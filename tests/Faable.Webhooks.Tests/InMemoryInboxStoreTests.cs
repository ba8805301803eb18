using Faable.Webhooks.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Webhooks.Tests;

public sealed class InMemoryInboxStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 12, 10, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryAccept_SameIdInsideWindow_IsRefusedAndAfterWindowAccepted()
    {
        using var store = new InMemoryInboxStore(_time);

        Assert.True(await store.TryAcceptAsync(Record("evt_1"), TimeSpan.FromMinutes(10), CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(await store.TryAcceptAsync(Record("evt_1"), TimeSpan.FromMinutes(10), CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await store.TryAcceptAsync(Record("evt_1"), TimeSpan.FromMinutes(10), CancellationToken.None));
    }

    [Fact]
    public async Task TryAccept_ConcurrentSameId_AcceptsExactlyOne()
    {
        using var store = new InMemoryInboxStore(_time);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.TryAcceptAsync(Record("evt_race"), TimeSpan.FromHours(1), CancellationToken.None))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task TryClaim_ExpiredLease_ReturnsDeliveryWithNextAttempt()
    {
        using var store = new InMemoryInboxStore(_time);
        await store.TryAcceptAsync(Record("evt_1"), TimeSpan.FromHours(1), CancellationToken.None);

        var first = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Null(await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.CompleteAsync(first!, CancellationToken.None);

        Assert.Equal(1, first!.Attempt);
        Assert.Equal(2, second!.Attempt);
        Assert.Equal(1, await store.GetBacklogAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ScheduleRetry_IsNotClaimableBeforeDue()
    {
        using var store = new InMemoryInboxStore(_time);
        await store.TryAcceptAsync(Record("evt_1"), TimeSpan.FromHours(1), CancellationToken.None);
        var lease = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        await store.ScheduleRetryAsync(lease!, _time.GetUtcNow().AddSeconds(30), "boom", CancellationToken.None);

        Assert.Null(await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(30));
        var retry = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(2, retry!.Attempt);
        Assert.Equal("boom", retry.Record.LastError);
    }

    [Fact]
    public async Task Release_GivesDeliveryBackWithoutCountingTheAttempt()
    {
        using var store = new InMemoryInboxStore(_time);
        await store.TryAcceptAsync(Record("evt_1"), TimeSpan.FromHours(1), CancellationToken.None);
        var lease = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        await store.ReleaseAsync(lease!, CancellationToken.None);
        var again = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(1, again!.Attempt);
    }

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(8, 10000)]
    [InlineData(1000, 10000)]
    public void RetryDelay_DoublesUpToTheMaximum(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), WebhookDispatcher.RetryDelay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
    }

    private static InboxRecord Record(string id) => new() { DeliveryId = id, EventType = "user.created", Timestamp = 1, ReceivedAt = 1, Body = [1] };
}
