using Faable.Redis;
using System.Net;
using Faable.Webhooks.Events;
using Faable.Webhooks.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Faable.Webhooks.Tests;

/// <summary>The Redis store against a real redis-server started by the tests.</summary>
public sealed class RedisInboxTests : IAsyncLifetime
{
    private const string Payload = """{"user":{"user_id":"usr_ada","email":"ada@example.com"}}""";

    private readonly string _prefix = "{test:" + Guid.NewGuid().ToString("N") + "}:";
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task TwoInstances_SharingRedis_DispatchEachDeliveryOnce()
    {
        var log = new DeliveryLog();
        await using var a = await StartAsync(log, Record);
        await using var b = await StartAsync(log, Record);
        var signer = new FaableWebhookSigner(TestSecrets.Current);
        var deliveries = Enumerable.Range(0, 20).Select(_ => signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload)).ToList();

        var statuses = new List<HttpStatusCode>();
        foreach (var delivery in deliveries)
        {
            // Each delivery reaches both instances (a retry by a proxy, or a replay): one accepts, one sees a duplicate.
            using var first = await a.SendAsync(delivery);
            using var second = await b.SendAsync(delivery);
            statuses.Add(first.StatusCode);
            statuses.Add(second.StatusCode);
        }

        await log.WaitForAsync(e => e.Count >= 20);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(deliveries.Select(d => d.DeliveryId).Order(StringComparer.Ordinal), log.Entries.Select(e => e.Split(':')[0]).Order(StringComparer.Ordinal));
        Assert.Equal(2, log.Entries.Select(e => e.Split(':')[1]).Distinct().Count());
    }

    [Fact]
    public async Task StoppedHost_WithDeliveryInInbox_DispatchesAfterRestart()
    {
        var log = new DeliveryLog();
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        await using (var receiver = await StartAsync(log, Record, o => o.DispatchEnabled = false))
        {
            using var response = await receiver.SendAsync(delivery);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await _redis.RestartAsync();
        Assert.Empty(log.Entries);

        await using var restarted = await StartAsync(log, Record);
        await log.WaitForAsync(e => e.Count == 1);

        Assert.StartsWith(delivery.DeliveryId + ":", Assert.Single(log.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStoppedMidDispatch_GivesDeliveryBack_AndNextHostDispatchesIt()
    {
        var log = new DeliveryLog();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        var first = await StartAsync(log, async (e, sp, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        using (var response = await first.SendAsync(delivery))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await first.DisposeAsync();

        await using var second = await StartAsync(log, Record);
        await log.WaitForAsync(e => e.Count == 1);

        Assert.StartsWith(delivery.DeliveryId + ":", Assert.Single(log.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerFailingTwice_IsRetriedThroughRedis()
    {
        var log = new DeliveryLog();
        var calls = 0;
        await using var app = await StartAsync(log, (e, sp, ct) =>
        {
            var attempt = Interlocked.Increment(ref calls);
            sp.GetRequiredService<DeliveryLog>().Add("attempt " + attempt);
            return attempt <= 2 ? throw new InvalidOperationException("transient") : Task.CompletedTask;
        });
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();

        using var response = await app.SendAsync(new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload));
        await log.WaitForAsync(e => e.Count == 3);
        await WebhookDispatchTests.WaitUntilAsync(async () => await inbox.GetBacklogAsync(CancellationToken.None) == 0);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["attempt 1", "attempt 2", "attempt 3"], log.Entries);
        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task HandlerAlwaysFailing_LandsInDeadLetters_AndReplaySucceeds()
    {
        var log = new DeliveryLog();
        var healthy = false;
        await using var app = await StartAsync(log, (e, sp, ct) =>
        {
            sp.GetRequiredService<DeliveryLog>().Add(healthy ? "handled" : "failed");
            return healthy ? Task.CompletedTask : throw new InvalidOperationException("permanent");
        });
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);

        using var response = await app.SendAsync(delivery);
        IReadOnlyList<FaableWebhookDeadLetter> dead = [];
        await WebhookDispatchTests.WaitUntilAsync(async () => (dead = await inbox.GetDeadLettersAsync(10, CancellationToken.None)).Count == 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(delivery.DeliveryId, dead[0].DeliveryId);
        Assert.Equal(3, dead[0].Attempts);
        Assert.Equal("System.InvalidOperationException: permanent", dead[0].LastError);
        Assert.Equal(delivery.BodyText, dead[0].BodyText);
        Assert.Equal(["failed", "failed", "failed"], log.Entries);
        Assert.Equal(0, await inbox.GetBacklogAsync(CancellationToken.None));

        healthy = true;
        Assert.True(await inbox.ReplayAsync(delivery.DeliveryId, CancellationToken.None));
        await log.WaitForAsync(e => e.Contains("handled"));
        await WebhookDispatchTests.WaitUntilAsync(async () => await inbox.GetBacklogAsync(CancellationToken.None) == 0);
        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Store_ExpiredLease_IsClaimedAgainWithNextAttempt()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var store = Store(time);
        var record = Record("evt_lease");
        Assert.True(await store.TryAcceptAsync(record, TimeSpan.FromHours(1), CancellationToken.None));

        var crashed = await store.TryClaimAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        var whileLeased = await store.TryClaimAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));
        var reclaimed = await store.TryClaimAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        await store.CompleteAsync(crashed!, CancellationToken.None);

        Assert.NotNull(crashed);
        Assert.Equal(1, crashed.Attempt);
        Assert.Null(whileLeased);
        Assert.NotNull(reclaimed);
        Assert.Equal("evt_lease", reclaimed.Record.DeliveryId);
        Assert.Equal(2, reclaimed.Attempt);
        Assert.Equal(1, await store.GetBacklogAsync(CancellationToken.None));
        await store.CompleteAsync(reclaimed, CancellationToken.None);
        Assert.Equal(0, await store.GetBacklogAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_Deduplication_UsesSetNxWithExpiry()
    {
        await using var store = Store(TimeProvider.System);

        Assert.True(await store.TryAcceptAsync(Record("evt_dedup"), TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.False(await store.TryAcceptAsync(Record("evt_dedup"), TimeSpan.FromMilliseconds(300), CancellationToken.None));

        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(_prefix + "dedup:evt_dedup");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(300));

        await Task.Delay(400, TestContext.Current.CancellationToken);
        Assert.True(await store.TryAcceptAsync(Record("evt_dedup"), TimeSpan.FromMilliseconds(300), CancellationToken.None));
    }

    [Fact]
    public async Task Store_ConcurrentAccepts_OfOneId_AcceptExactlyOne()
    {
        await using var one = Store(TimeProvider.System);
        await using var two = Store(TimeProvider.System);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? one : two).TryAcceptAsync(Record("evt_race"), TimeSpan.FromHours(1), CancellationToken.None)));

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, await one.GetBacklogAsync(CancellationToken.None));
    }

    private static async Task Record(UserCreated e, IServiceProvider services, CancellationToken cancellationToken)
    {
        // A little work, so that both instances' dispatchers get deliveries to claim.
        await Task.Delay(10, cancellationToken);
        services.GetRequiredService<DeliveryLog>().Add(e.Id + ":" + services.GetRequiredService<InstanceId>().Value);
    }

    private static InboxRecord Record(string id) => new() { DeliveryId = id, EventType = "user.created", Timestamp = 1, ReceivedAt = 1, Body = [1, 2, 3] };

    private RedisInboxStore Store(TimeProvider time) =>
        new(new FaableRedisOptions { Configuration = _redis.Configuration, KeyPrefix = _prefix }, time);

    private Task<WebhookApp> StartAsync(DeliveryLog log, Func<UserCreated, IServiceProvider, CancellationToken, Task> handler, Action<FaableWebhookOptions>? configure = null) =>
        WebhookApp.StartAsync(
            b => b.AddHandler(handler).UseRedis(o =>
            {
                o.Configuration = _redis.Configuration;
                o.KeyPrefix = _prefix;
            }),
            o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                configure?.Invoke(o);
            },
            s =>
            {
                s.AddSingleton(log);
                s.AddSingleton(new InstanceId());
            });

    private sealed class InstanceId
    {
        public string Value { get; } = Guid.NewGuid().ToString("N");
    }
}
