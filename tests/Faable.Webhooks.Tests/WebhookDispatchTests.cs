using System.Net;
using System.Text;
using Faable.Tests.Shared;
using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Faable.Webhooks.Tests;

/// <summary>Accepted deliveries reach their handlers through the in-memory inbox and the background dispatcher.</summary>
public sealed class WebhookDispatchTests
{
    private const string AdaPayload = """{"user":{"user_id":"usr_ada","email":"ada@example.com","email_verified":true,"plan":"pro"},"source":"signup"}""";

    private static FaableWebhookSigner Signer => new(TestSecrets.Current);

    [Fact]
    public async Task Dispatch_TypedHandler_ReceivesEventInAScopePerDelivery()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated, RecordingUserCreatedHandler>(),
            services: s => s.AddScoped<ScopeMarker>());
        var first = Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload);
        var second = Signer.Sign(new UserCreated { Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_bob", Email = "bob@example.com" } } });

        using var r1 = await app.SendAsync(first);
        using var r2 = await app.SendAsync(second);
        await app.Log.WaitForAsync(e => e.Count == 2);

        Assert.Equal(HttpStatusCode.Accepted, r1.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, r2.StatusCode);
        var entries = app.Log.Entries.Select(e => e.Split(':')).ToList();
        Assert.Contains(entries, e => e[1] == first.DeliveryId && e[2] == "usr_ada" && e[3] == "ada@example.com");
        Assert.Contains(entries, e => e[1] == second.DeliveryId && e[2] == "usr_bob");
        Assert.NotEqual(entries[0][4], entries[1][4]);
    }

    [Fact]
    public async Task Dispatch_LambdaHandler_ReadsUserAndExtraFields()
    {
        await using var app = await WebhookApp.StartAsync(b => b.AddHandler<AuthLogin>((e, sp, ct) =>
        {
            sp.GetRequiredService<DeliveryLog>().Add($"{e.Type}:{e.User.UserId}:{e.User.EmailVerified}:{e.User.AdditionalProperties!["plan"]}:{e.Payload.AdditionalProperties!["source"]}:{e.ProducedAt.Year}");
            return Task.CompletedTask;
        }));

        using var response = await app.SendAsync(Signer.Sign("auth.login", FaableWebhookSigner.NewDeliveryId(), AdaPayload));
        await app.Log.WaitForAsync(e => e.Count == 1);

        Assert.Equal($"auth.login:usr_ada:True:pro:signup:{TimeProvider.System.GetUtcNow().Year}", Assert.Single(app.Log.Entries));
    }

    [Fact]
    public async Task Dispatch_EveryTypedEvent_ReachesItsHandler()
    {
        await using var app = await WebhookApp.StartAsync(b => b
            .AddHandler<UserCreated>((e, sp, ct) => Record(sp, e))
            .AddHandler<UserUpdated>((e, sp, ct) => Record(sp, e))
            .AddHandler<UserDeleted>((e, sp, ct) => Record(sp, e))
            .AddHandler<AuthLogin>((e, sp, ct) => Record(sp, e)));

        foreach (var type in new[] { "user.created", "user.updated", "user.deleted", "auth.login" })
        {
            using var response = await app.SendAsync(Signer.Sign(type, FaableWebhookSigner.NewDeliveryId(), AdaPayload));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await app.Log.WaitForAsync(e => e.Count == 4);
        Assert.Equal(
            ["AuthLogin:auth.login", "UserCreated:user.created", "UserDeleted:user.deleted", "UserUpdated:user.updated"],
            app.Log.Entries.Order(StringComparer.Ordinal));

        static Task Record(IServiceProvider services, FaableWebhookEvent e)
        {
            services.GetRequiredService<DeliveryLog>().Add(e.GetType().Name + ":" + e.Type);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Dispatch_UnknownEventType_GoesRawToFallback()
    {
        await using var app = await WebhookApp.StartAsync(b => b
            .AddHandler<UserCreated, RecordingUserCreatedHandler>()
            .AddFallbackHandler<RecordingFallbackHandler>(),
            services: s => s.AddScoped<ScopeMarker>());
        var delivery = Signer.Sign("organization.created", FaableWebhookSigner.NewDeliveryId(), """{"organization":{"id":"org_1"}}""");

        using var response = await app.SendAsync(delivery);
        await app.Log.WaitForAsync(e => e.Count == 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"fallback:organization.created:{delivery.DeliveryId}:1:{delivery.BodyText}", Assert.Single(app.Log.Entries));
    }

    [Fact]
    public async Task Dispatch_KnownTypeWithUnreadablePayload_GoesToFallback()
    {
        await using var app = await WebhookApp.StartAsync(b => b
            .AddHandler<UserCreated, RecordingUserCreatedHandler>()
            .AddFallbackHandler((d, sp, ct) =>
            {
                sp.GetRequiredService<DeliveryLog>().Add("fallback:" + d.EventType);
                return Task.CompletedTask;
            }),
            services: s => s.AddScoped<ScopeMarker>());

        using var response = await app.SendAsync(Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"account":{"id":"acc_1"}}"""));
        await app.Log.WaitForAsync(e => e.Count == 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("fallback:user.created", Assert.Single(app.Log.Entries));
    }

    [Fact]
    public async Task Dispatch_KnownTypeWithUnreadablePayloadAndNoFallback_IsDeadLetteredAtOnce()
    {
        await using var app = await WebhookApp.StartAsync(b => b.AddHandler<UserCreated>((e, sp, ct) => Task.CompletedTask));
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        var delivery = Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"email":"no-id@example.com"}}""");

        using var response = await app.SendAsync(delivery);
        var dead = await WaitForDeadLettersAsync(inbox, 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, dead[0].Attempts);
        Assert.Contains("could not be read", dead[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_SlowHandler_DoesNotDelayTheAnswer()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await WebhookApp.StartAsync(b => b.AddHandler<UserCreated>(async (e, sp, ct) =>
        {
            await release.Task.WaitAsync(ct);
            sp.GetRequiredService<DeliveryLog>().Add("done");
        }));

        using var response = await app.SendAsync(Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(app.Log.Entries);
        release.SetResult();
        await app.Log.WaitForAsync(e => e.Count == 1);
    }

    [Fact]
    public async Task Dispatch_HandlerFailingTwice_IsRetriedAndSucceeds()
    {
        var calls = 0;
        await using var app = await WebhookApp.StartAsync(b => b.AddHandler<UserCreated>((e, sp, ct) =>
        {
            var attempt = Interlocked.Increment(ref calls);
            sp.GetRequiredService<DeliveryLog>().Add("attempt " + attempt);
            return attempt <= 2 ? throw new InvalidOperationException("database unavailable") : Task.CompletedTask;
        }));
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();

        using var response = await app.SendAsync(Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload));
        await app.Log.WaitForAsync(e => e.Count == 3);
        await WaitUntilAsync(async () => await inbox.GetBacklogAsync(CancellationToken.None) == 0);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["attempt 1", "attempt 2", "attempt 3"], app.Log.Entries);
        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Dispatch_HandlerAlwaysFailing_IsDeadLetteredAndReplayable()
    {
        var healthy = false;
        await using var app = await WebhookApp.StartAsync(b => b.AddHandler<UserCreated>((e, sp, ct) =>
        {
            sp.GetRequiredService<DeliveryLog>().Add(healthy ? "handled" : "failed");
            return healthy ? Task.CompletedTask : throw new InvalidOperationException("downstream is down");
        }));
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        var delivery = Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload);

        using var response = await app.SendAsync(delivery);
        var dead = Assert.Single(await WaitForDeadLettersAsync(inbox, 1));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(delivery.DeliveryId, dead.DeliveryId);
        Assert.Equal("user.created", dead.EventType);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal("System.InvalidOperationException: downstream is down", dead.LastError);
        Assert.Equal(delivery.BodyText, dead.BodyText);
        Assert.NotNull(dead.DeadLetteredAt);
        Assert.Equal(["failed", "failed", "failed"], app.Log.Entries);

        healthy = true;
        Assert.True(await inbox.ReplayAsync(delivery.DeliveryId, CancellationToken.None));
        await app.Log.WaitForAsync(e => e.Contains("handled"));
        await WaitUntilAsync(async () => await inbox.GetBacklogAsync(CancellationToken.None) == 0);

        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
        Assert.False(await inbox.ReplayAsync(delivery.DeliveryId, CancellationToken.None));
    }

    [Fact]
    public async Task Inbox_DeleteDeadLetter_RemovesIt()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>((e, sp, ct) => throw new InvalidOperationException("no")),
            o => o.MaxAttempts = 1);
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        var delivery = Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload);

        using var response = await app.SendAsync(delivery);
        await WaitForDeadLettersAsync(inbox, 1);

        Assert.True(await inbox.DeleteDeadLetterAsync(delivery.DeliveryId, CancellationToken.None));
        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
        Assert.False(await inbox.ReplayAsync(delivery.DeliveryId, CancellationToken.None));
    }

    [Fact]
    public async Task Dispatch_KnownTypeWithoutHandlers_IsAcknowledgedAndDropped()
    {
        await using var app = await WebhookApp.StartAsync();
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();

        using var response = await app.SendAsync(Signer.Sign("user.deleted", FaableWebhookSigner.NewDeliveryId(), AdaPayload));
        await WaitUntilAsync(async () => await inbox.GetBacklogAsync(CancellationToken.None) == 0);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Endpoint_Deliveries_AreCountedByOutcome()
    {
        await using var app = await WebhookApp.StartAsync();
        using var collector = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), FaableWebhookDefaults.MeterName, "faable.webhooks.deliveries");
        var delivery = Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload);

        (await app.SendAsync(delivery)).Dispose();
        (await app.SendAsync(delivery)).Dispose();
        (await app.SendAsync(new FaableWebhookSigner(TestSecrets.Other).Sign("user.created", "evt_x", AdaPayload))).Dispose();

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal(1, measurements.Count(m => (string?)m.Tags["outcome"] == "accepted"));
        Assert.Equal(1, measurements.Count(m => (string?)m.Tags["outcome"] == "duplicate"));
        Assert.Equal("signature_mismatch", measurements.Single(m => (string?)m.Tags["outcome"] == "rejected").Tags["error.type"]);
    }

    [Fact]
    public async Task Endpoint_DeliverySignedWithPreviousSecret_IsAccepted()
    {
        await using var app = await WebhookApp.StartAsync();

        using var response = await app.SendAsync(new FaableWebhookSigner(TestSecrets.Previous).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Signer_CreateRequest_SendsExactlyWhatWasSigned()
    {
        string? seen = null;
        await using var app = await WebhookApp.StartAsync(b => b.AddFallbackHandler((d, sp, ct) =>
        {
            seen = d.BodyText;
            sp.GetRequiredService<DeliveryLog>().Add("seen");
            return Task.CompletedTask;
        }));
        var signer = new FaableWebhookSigner(TestSecrets.Current);

        using var request = signer.CreateRequest(WebhookApp.Endpoint, "team.created", "evt_team_1", """{"team":{"name":"Zoë 名前"}}""");
        var sentBody = await request.Content!.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        await app.Log.WaitForAsync(e => e.Count == 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetString(sentBody), seen);
    }

    [Fact]
    public async Task Dispatch_HandlerExceedingTimeout_IsCancelledAndCountsAsFailedAttempt()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>(async (e, sp, ct) =>
            {
                sp.GetRequiredService<DeliveryLog>().Add("started");
                await Task.Delay(Timeout.Infinite, ct);
            }),
            o =>
            {
                o.HandlerTimeout = TimeSpan.FromMilliseconds(100);
                o.MaxAttempts = 2;
            });
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();

        using var response = await app.SendAsync(Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload));
        var dead = Assert.Single(await WaitForDeadLettersAsync(inbox, 1));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, dead.Attempts);
        Assert.StartsWith("System.Threading.Tasks.TaskCanceledException", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(["started", "started"], app.Log.Entries);
    }

    [Fact]
    public async Task Endpoint_InboxUnreachable_Answers503NotAccepted()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var app = await WebhookApp.StartAsync(
            b => b.UseRedis($"127.0.0.1:{closedPort},abortConnect=false,connectTimeout=300,asyncTimeout=300"),
            o => o.DispatchEnabled = false);

        using var response = await app.SendAsync(Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await ProblemDocument.AssertAnswerAsync(response, "Faable.Webhooks", "inbox_unavailable");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    public async Task Dispatch_MaxConcurrentDispatches_BoundsHandlersRunningAtOnce(int limit, int lowestPeak)
    {
        var running = 0;
        var peak = 0;
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>(async (e, sp, ct) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(500, ct);
                Interlocked.Decrement(ref running);
                sp.GetRequiredService<DeliveryLog>().Add(e.Id);
            }),
            o => o.MaxConcurrentDispatches = limit);

        for (var i = 0; i < 6; i++)
        {
            (await app.SendAsync(Signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), AdaPayload))).Dispose();
        }

        await app.Log.WaitForAsync(e => e.Count == 6);
        Assert.InRange(peak, lowestPeak, limit);

        static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private static async Task<IReadOnlyList<FaableWebhookDeadLetter>> WaitForDeadLettersAsync(IFaableWebhookInbox inbox, int count)
    {
        IReadOnlyList<FaableWebhookDeadLetter> dead = [];
        await WaitUntilAsync(async () => (dead = await inbox.GetDeadLettersAsync(10, CancellationToken.None)).Count >= count);
        return dead;
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)((timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException("The condition was not met in time.");
            }

            await Task.Delay(20);
        }
    }
}
