using System.Diagnostics;
using Faable.Redis;
using System.Net;
using Faable.Webhooks.Events;
using Faable.Webhooks.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
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
    public async Task InstanceKilledMidHandler_DeliveryIsHandledByAnotherWithinTheDefaultLease()
    {
        var log = new DeliveryLog();
        await using var receiver = await StartAsync(log, Record, o => o.DispatchEnabled = false);
        using var child = StartProbe();
        try
        {
            var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
            using (var response = await receiver.SendAsync(delivery))
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }

            await WaitForLineAsync(child, "handling " + delivery.DeliveryId);

            // The survivor polls for work from now on; the delivery is the child's until its lease runs out.
            await using var survivor = await StartAsync(log, Record, o => o.LeaseDuration = FaableWebhookDefaults.LeaseDuration);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var handled = survivor.Services.GetRequiredService<IFaableWebhookInbox>().WaitForDispatchAsync(delivery.DeliveryId, patience.Token);
            await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
            Assert.Empty(log.Entries);

            // SIGKILL (kill -9): no shutdown hook runs, nothing gives the delivery back.
            var killedAt = Stopwatch.StartNew();
            child.Kill();
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
            var result = await handled;
            var elapsed = killedAt.Elapsed;

            Assert.Equal(FaableWebhookDispatchOutcome.Handled, result.Outcome);
            Assert.Equal(2, result.Attempt);
            Assert.StartsWith(delivery.DeliveryId + ":", Assert.Single(log.Entries), StringComparison.Ordinal);

            // The last renewal came at most a third of a lease before the kill, so the lease ends within one lease of it;
            // the survivor polls every PollInterval.
            Assert.True(elapsed < FaableWebhookDefaults.LeaseDuration + TimeSpan.FromSeconds(3), $"taken over after {elapsed}");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public async Task HandlerRunningLongerThanTheLease_KeepsItsDelivery_ThroughTheHeartbeat()
    {
        var log = new DeliveryLog();
        var lease = TimeSpan.FromSeconds(1);
        Func<UserCreated, IServiceProvider, CancellationToken, Task> slow = async (e, services, ct) =>
        {
            services.GetRequiredService<DeliveryLog>().Add(e.Id + ":" + services.GetRequiredService<InstanceId>().Value);
            await Task.Delay(TimeSpan.FromSeconds(3.5), ct);
        };
        await using var a = await StartAsync(log, slow, o => o.LeaseDuration = lease);
        await using var b = await StartAsync(log, slow, o => o.LeaseDuration = lease);
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var onA = a.Services.GetRequiredService<IFaableWebhookInbox>().WaitForDispatchAsync(delivery.DeliveryId, patience.Token);
        var onB = b.Services.GetRequiredService<IFaableWebhookInbox>().WaitForDispatchAsync(delivery.DeliveryId, patience.Token);

        (await a.SendAsync(delivery)).Dispose();
        var first = await Task.WhenAny(onA, onB);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        Assert.Equal(FaableWebhookDispatchOutcome.Handled, (await first).Outcome);
        Assert.Equal(1, (await first).Attempt);
        Assert.Single(log.Entries);
        Assert.False((first == onA ? onB : onA).IsCompleted);
        Assert.Equal(0, await a.Services.GetRequiredService<IFaableWebhookInbox>().GetBacklogAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LeaseTakenOverWhileHandling_CancelsTheHandler_AndSaysSo()
    {
        var log = new DeliveryLog();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAsync(
            log,
            async (e, services, ct) =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult();
                    throw;
                }
            },
            o => o.LeaseDuration = TimeSpan.FromSeconds(1),
            s => s.AddFakeLogging());
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var result = app.Services.GetRequiredService<IFaableWebhookInbox>().WaitForDispatchAsync(delivery.DeliveryId, patience.Token);

        (await app.SendAsync(delivery)).Dispose();
        await started.Task.WaitAsync(patience.Token);
        await TakeOverLeaseAsync(delivery.DeliveryId);
        await cancelled.Task.WaitAsync(patience.Token);

        Assert.Equal(FaableWebhookDispatchOutcome.LeaseLost, (await result).Outcome);
        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 2019 && r.Message.Contains(delivery.DeliveryId, StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Id.Id is 2010 or 2011 or 2012);
    }

    [Fact]
    public async Task LeaseTakenOverBeforeCompletion_IsLoggedAsSuch_NotAsDispatched()
    {
        var log = new DeliveryLog();
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAsync(
            log,
            async (e, services, ct) =>
            {
                started.TrySetResult();
                await taken.Task.WaitAsync(ct);
            },
            o => o.LeaseDuration = TimeSpan.FromSeconds(30),
            s => s.AddFakeLogging());
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var result = app.Services.GetRequiredService<IFaableWebhookInbox>().WaitForDispatchAsync(delivery.DeliveryId, patience.Token);

        (await app.SendAsync(delivery)).Dispose();
        await started.Task.WaitAsync(patience.Token);
        await TakeOverLeaseAsync(delivery.DeliveryId);
        taken.SetResult();

        Assert.Equal(FaableWebhookDispatchOutcome.LeaseLost, (await result).Outcome);
        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 2020 && r.Message.Contains(delivery.DeliveryId, StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Id.Id == 2010);
        Assert.Equal(1, await app.Services.GetRequiredService<IFaableWebhookInbox>().GetBacklogAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Store_Renew_ExtendsTheLease_UntilAnotherInstanceHoldsIt()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var store = Store(time);
        Assert.True(await store.TryAcceptAsync(Record("evt_renew"), TimeSpan.FromHours(1), CancellationToken.None));
        var lease = await store.TryClaimAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(8));
        Assert.True(await store.RenewAsync(lease!, TimeSpan.FromSeconds(10), CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(8));
        var whileRenewed = await store.TryClaimAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));
        var takenOver = await store.TryClaimAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Null(whileRenewed);
        Assert.NotNull(takenOver);
        Assert.False(await store.RenewAsync(lease!, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.False(await store.CompleteAsync(lease!, CancellationToken.None));
        Assert.False(await store.ScheduleRetryAsync(lease!, time.GetUtcNow(), "late", CancellationToken.None));
        Assert.True(await store.CompleteAsync(takenOver, CancellationToken.None));
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

    [Fact]
    public async Task Accept_WakesAnIdleDispatcher_WithoutWaitingForItsPoll()
    {
        var log = new DeliveryLog();
        await using var receiver = await StartAsync(log, Record, o => o.PollInterval = TimeSpan.FromMinutes(1));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var channel = _prefix + "notify:0";
        var deadline = Stopwatch.StartNew();
        while ((long)(await server.ExecuteAsync("PUBSUB", "NUMSUB", channel))[1] == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the dispatcher never subscribed to " + channel);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // The dispatcher has found the inbox empty and waits for up to a minute; only the wake-up brings it back sooner.
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        using (var response = await receiver.SendAsync(delivery))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await log.WaitForAsync(e => e.Count == 1, TimeSpan.FromSeconds(30));
        Assert.StartsWith(delivery.DeliveryId + ":", Assert.Single(log.Entries), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_Accept_WakesWaitersOnItsOwnDatabaseOnly()
    {
        await using var writer = Store(TimeProvider.System, database: 1);
        await using var sameDatabase = Store(TimeProvider.System, database: 1);
        await using var otherDatabase = Store(TimeProvider.System, database: 2);

        // The first wait subscribes.
        await sameDatabase.WaitForWorkAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        await otherDatabase.WaitForWorkAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        var same = Stopwatch.StartNew();
        var sameWoken = sameDatabase.WaitForWorkAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        var other = Stopwatch.StartNew();
        var otherWoken = otherDatabase.WaitForWorkAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.True(await writer.TryAcceptAsync(Record("evt_wake"), TimeSpan.FromHours(1), CancellationToken.None));
        await sameWoken;
        var sameElapsed = same.Elapsed;
        await otherWoken;
        var otherElapsed = other.Elapsed;

        // Same key prefix, same server: pub/sub would reach both, but the other database holds nothing for it.
        Assert.True(sameElapsed < TimeSpan.FromSeconds(10), $"woken after {sameElapsed}");
        Assert.True(otherElapsed >= TimeSpan.FromSeconds(1.9), $"woken after {otherElapsed} by a delivery in another database");
        Assert.Equal(0, await otherDatabase.GetBacklogAsync(CancellationToken.None));
        Assert.Equal(1, await sameDatabase.GetBacklogAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_RecordsWrittenAsText_BeforeThisVersion_AreStillClaimed()
    {
        // Earlier versions wrote the same JSON through a string; a delivery they accepted must still be dispatched.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var db = connection.GetDatabase();
        const string Json = """{"id":"evt_old","type":"user.created","ts":1,"received":2,"body":"AQID","secret":"default"}""";
        await db.HashSetAsync(_prefix + "records", "evt_old", Json);
        await db.HashSetAsync(_prefix + "attempts", "evt_old", 0);
        await db.ListLeftPushAsync(_prefix + "queue", "evt_old");
        await using var store = Store(TimeProvider.System);

        var lease = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal("evt_old", lease.Record.DeliveryId);
        Assert.Equal("user.created", lease.Record.EventType);
        Assert.Equal([1, 2, 3], lease.Record.Body);
        Assert.Equal("default", lease.Record.SecretId);
        Assert.True(await store.CompleteAsync(lease, CancellationToken.None));
    }

    [Fact]
    public async Task Store_CompleteAndClaim_SettlesTheHandledDelivery_AndLeasesTheNext()
    {
        await using var store = Store(TimeProvider.System);
        Assert.True(await store.TryAcceptAsync(Record("evt_first"), TimeSpan.FromHours(1), CancellationToken.None));
        Assert.True(await store.TryAcceptAsync(Record("evt_second"), TimeSpan.FromHours(1), CancellationToken.None));
        var first = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        var (completed, second) = await store.CompleteAndClaimAsync(first!, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.True(completed);
        Assert.NotNull(second);
        Assert.Equal("evt_second", second.Record.DeliveryId);
        Assert.Equal(1, second.Attempt);
        Assert.Null(await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(1, await store.GetBacklogAsync(CancellationToken.None));
        Assert.Equal((true, (InboxLease?)null), await store.CompleteAndClaimAsync(second, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(0, await store.GetBacklogAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_CompleteAndClaim_AfterTheLeaseWasTakenOver_LeavesTheDeliveryToItsHolder()
    {
        await using var store = Store(TimeProvider.System);
        Assert.True(await store.TryAcceptAsync(Record("evt_taken"), TimeSpan.FromHours(1), CancellationToken.None));
        var lease = await store.TryClaimAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await TakeOverLeaseAsync("evt_taken");

        var (completed, next) = await store.CompleteAndClaimAsync(lease!, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.False(completed);
        Assert.Null(next);
        Assert.Equal(1, await store.GetBacklogAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HostStoppingWhileAHandlerFinishes_ClaimsNothingMore_AndTheNextHostDispatchesTheRest()
    {
        var log = new DeliveryLog();
        var signer = new FaableWebhookSigner(TestSecrets.Current);
        var first = signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        var second = signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = await StartAsync(
            log,
            async (e, services, ct) =>
            {
                using var registration = ct.Register(() => stopping.TrySetResult());
                started.TrySetResult();

                // Finishes its work even though the host stops meanwhile, so the delivery is completed.
                await finish.Task;
                log.Add(e.Id + ":first-host");
            },
            o =>
            {
                o.LeaseDuration = TimeSpan.FromSeconds(30);
                o.MaxConcurrentDispatches = 1;
            });
        try
        {
            (await app.SendAsync(first)).Dispose();
            await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            (await app.SendAsync(second)).Dispose();

            var stopped = app.App.StopAsync(TestContext.Current.CancellationToken);
            await stopping.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            finish.SetResult();
            await stopped;
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Had the stopping host claimed the second delivery and kept it, it would come back only after its 30 s lease.
        await using var next = await StartAsync(log, Record, o => o.LeaseDuration = TimeSpan.FromSeconds(30));
        await log.WaitForAsync(e => e.Count == 2, TimeSpan.FromSeconds(15));

        Assert.Equal(new[] { first.DeliveryId + ":first-host", second.DeliveryId }, log.Entries.Select(e => e.StartsWith(second.DeliveryId, StringComparison.Ordinal) ? second.DeliveryId : e));
    }

    private static async Task Record(UserCreated e, IServiceProvider services, CancellationToken cancellationToken)
    {
        // A little work, so that both instances' dispatchers get deliveries to claim.
        await Task.Delay(10, cancellationToken);
        services.GetRequiredService<DeliveryLog>().Add(e.Id + ":" + services.GetRequiredService<InstanceId>().Value);
    }

    private static InboxRecord Record(string id) => new() { DeliveryId = id, EventType = "user.created", Timestamp = 1, ReceivedAt = 1, Body = [1, 2, 3] };

    /// <summary>Does in Redis what another instance's claim of an expired lease does: the delivery gets a new owner.</summary>
    private async Task TakeOverLeaseAsync(string deliveryId)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        Assert.False(await connection.GetDatabase().HashSetAsync(_prefix + "owners", deliveryId, "another-instance"));
    }

    private Process StartProbe()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var testsFolder = baseDirectory.Parent!.Parent!.Parent!.Parent!.FullName;
        var probe = Path.Combine(testsFolder, "Faable.Webhooks.Tests.Probe", "bin", baseDirectory.Parent.Name, baseDirectory.Name, "Faable.Webhooks.Tests.Probe.dll");
        Assert.True(File.Exists(probe), $"the probe was not built at {probe}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { probe, _redis.Configuration, _prefix, TestSecrets.Current })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The probe did not start.");
    }

    private static async Task WaitForLineAsync(Process process, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new InvalidOperationException($"The probe exited ({process.ExitCode}) before printing '{expected}': {await process.StandardError.ReadToEndAsync(timeout.Token)}");
    }

    private RedisInboxStore Store(TimeProvider time, int database = 0) =>
        new(new FaableRedisOptions { Configuration = _redis.Configuration + ",defaultDatabase=" + database.ToString(System.Globalization.CultureInfo.InvariantCulture), KeyPrefix = _prefix }, time);

    private Task<WebhookApp> StartAsync(DeliveryLog log, Func<UserCreated, IServiceProvider, CancellationToken, Task> handler, Action<FaableWebhookOptions>? configure = null, Action<IServiceCollection>? services = null) =>
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
                services?.Invoke(s);
            });

    private sealed class InstanceId
    {
        public string Value { get; } = Guid.NewGuid().ToString("N");
    }
}
