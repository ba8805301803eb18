// <snippet:webhooks-test-deliveries>
using Faable.Testing;
// <snippet:webhooks-registration>
using Faable.Webhooks.Events;
using Orders;
// </snippet:webhooks-registration>
// </snippet:webhooks-test-deliveries>
using Faable.Docs.Tests.AspNetCore;
// <snippet:webhooks-verify>
// <snippet:webhooks-dead-letters>
using Faable.Webhooks;
// </snippet:webhooks-dead-letters>
// </snippet:webhooks-verify>
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Faable.Docs.Tests.Webhooks;

/// <summary>The C# examples of src/Faable.Webhooks/README.md, run over a TestServer and a real Redis.</summary>
public sealed class WebhooksReadmeTests(SharedRedis redis)
{
    private const string Secret = "whsec_readme_examples_secret";
    private static readonly Uri s_endpoint = new("/hooks/faable", UriKind.Relative);

    private static Dictionary<string, string?> Settings(int maxAttempts = 5) => new()
    {
        ["Faable:Webhooks:Secret"] = Secret,
        ["Faable:Webhooks:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Registration_TypedHandlers_AndTheFallback_HandleTheirEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DocsApi.CreateBuilder(settings: Settings());

        // <snippet:webhooks-registration>
        builder.Services.AddSingleton<UserStore>().AddSingleton<WebhookArchive>();
        builder.Services.AddFaableWebhooks(builder.Configuration.GetSection("Faable:Webhooks"))
            .AddHandler<UserCreated, UserSyncWebhookHandler>()
            .AddHandler<UserDeleted>(async (e, services, ct) =>
                await services.GetRequiredService<UserStore>().DeleteAsync(e.User.UserId, ct))
            .AddFallbackHandler((delivery, services, ct) =>   // unknown types, and known types without a handler
                services.GetRequiredService<WebhookArchive>().SaveAsync(delivery.DeliveryId, delivery.EventType, delivery.SecretId, delivery.Body, ct));

        var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");   // returns IEndpointConventionBuilder: add rate limiting etc.
        // </snippet:webhooks-registration>

        await using (app)
        {
            await app.StartAsync(ct);
            using var client = app.GetTestClient();
            var signer = new FaableWebhookSigner(Secret);
            var users = app.Services.GetRequiredService<UserStore>();

            var created = await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint, signer.Sign(new UserCreated
            {
                Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_1", Email = "ada@example.com" } },
            }), ct);
            Assert.Equal(FaableWebhookDispatchOutcome.Handled, created.Outcome);
            Assert.Equal("ada@example.com", users.Find("usr_1")?.Email);

            var deleted = await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint, signer.Sign(new UserDeleted
            {
                Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_1" } },
            }), ct);
            Assert.Equal(FaableWebhookDispatchOutcome.Handled, deleted.Outcome);
            Assert.Null(users.Find("usr_1"));

            // Without the fallback this would be Unhandled (acknowledged, then dropped with a warning).
            var unknown = await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint,
                signer.Sign("organization.created", FaableWebhookSigner.NewDeliveryId(), "{}"), ct);
            Assert.Equal(FaableWebhookDispatchOutcome.Handled, unknown.Outcome);
            Assert.Equal("organization.created", Assert.Single(app.Services.GetRequiredService<WebhookArchive>().Entries()).EventType);
        }
    }

    [Fact]
    public async Task DeliveryObserver_SeesEveryDelivery_EvenOnesIgnored()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DocsApi.CreateBuilder(settings: Settings());
        builder.Services.AddSingleton<WebhookArchive>();
        builder.Services.AddFaableWebhooks(builder.Configuration.GetSection("Faable:Webhooks"))
            // <snippet:webhooks-observer>
            .AddDeliveryObserver((delivery, services, ct) =>
                services.GetRequiredService<WebhookArchive>().SaveAsync(delivery.DeliveryId, delivery.EventType, delivery.SecretId, delivery.Body, ct))
            // </snippet:webhooks-observer>
            .Ignore<UserCreated>();
        await using var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        await app.StartAsync(ct);
        using var client = app.GetTestClient();

        var delivery = new FaableWebhookSigner(Secret).Sign(new UserCreated { Payload = new() { User = new() { UserId = "usr_1" } } });
        var result = await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint, delivery, ct);

        Assert.Equal(FaableWebhookDispatchOutcome.Ignored, result.Outcome);
        var archived = Assert.Single(app.Services.GetRequiredService<WebhookArchive>().Entries());
        Assert.Equal(new ArchivedWebhook(delivery.DeliveryId, "user.created", "default", delivery.BodyText), archived);
    }

    [Fact]
    public async Task TestDeliveries_BuildWhatTheDispatcherPasses()
    {
        var ct = TestContext.Current.CancellationToken;
        var users = new UserStore();
        await users.UpsertAsync("usr_1", "ada@example.com", ct);

        // <snippet:webhooks-test-deliveries>
        var delivery = FaableWebhookTestDeliveries.Create(new UserCreated { Payload = new() { User = new() { UserId = "usr_1" } } });
        var raw = FaableWebhookTestDeliveries.FromJson("""{"id":"evt_1","type":"organization.created","payload":{}}""", secretId: "previous");
        var deleted = FaableWebhookTestDeliveries.ReadEvent<UserDeleted>("""{"id":"evt_2","type":"user.deleted","payload":{"user":{"user_id":"usr_1"}}}""");
        await new UserRemovalWebhookHandler(users).HandleAsync(deleted, ct);   // your IFaableWebhookHandler<UserDeleted>
        // </snippet:webhooks-test-deliveries>

        Assert.Equal("user.created", delivery.EventType);
        Assert.True(delivery.TryReadEvent(out var readBack));
        Assert.Equal("usr_1", Assert.IsType<UserCreated>(readBack).User.UserId);
        Assert.Equal(("organization.created", "previous"), (raw.EventType, raw.SecretId));
        Assert.Null(users.Find("usr_1"));
    }

    [Fact]
    public async Task Verifier_ByHand_AcceptsTheSignedBytes_AndRefusesOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        var secret = Secret;
        var signed = new FaableWebhookSigner(Secret).Sign(new UserCreated { Payload = new() { User = new() { UserId = "usr_1" } } });
        using var request = signed.CreateRequest(new Uri("https://api.example.com/hooks/faable"));
        var bodyBytes = await request.Content!.ReadAsByteArrayAsync(ct);

        // <snippet:webhooks-verify>
        var verifier = new FaableWebhookVerifier(secret);   // or (FaableWebhookOptions, TimeProvider)
        var result = verifier.Verify(bodyBytes, FaableWebhookHeaders.From(request.Headers));
        if (!result.IsValid) { /* result.FailureReason, result.ClockSkewMilliseconds, result.BodyLength */ }
        // </snippet:webhooks-verify>

        Assert.True(result.IsValid, result.FailureReason.ToString());
        bodyBytes[^2] ^= 1;
        Assert.Equal(FaableWebhookFailureReason.SignatureMismatch, verifier.Verify(bodyBytes, FaableWebhookHeaders.From(request.Headers)).FailureReason);
    }

    [Fact]
    public async Task DeadLetters_ListedReplayedAndDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DocsApi.CreateBuilder(settings: Settings(maxAttempts: 1));
        var failing = true;
        var handled = 0;
        builder.Services.AddFaableWebhooks(builder.Configuration.GetSection("Faable:Webhooks"))
            .AddHandler<UserCreated>((_, _, _) =>
            {
                if (failing)
                {
                    throw new InvalidOperationException("database down");
                }

                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            });
        await using var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        await app.StartAsync(ct);
        using var client = app.GetTestClient();
        var signer = new FaableWebhookSigner(Secret);
        var first = signer.Sign(new UserCreated { Payload = new() { User = new() { UserId = "usr_1" } } });
        var second = signer.Sign(new UserCreated { Payload = new() { User = new() { UserId = "usr_2" } } });
        Assert.Equal(FaableWebhookDispatchOutcome.DeadLettered, (await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint, first, ct)).Outcome);
        Assert.Equal(FaableWebhookDispatchOutcome.DeadLettered, (await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint, second, ct)).Outcome);
        failing = false;
        var replayed = app.Services.GetRequiredService<IFaableWebhookInbox>().WaitForDispatchAsync(first.DeliveryId, ct);

        // <snippet:webhooks-dead-letters>
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        foreach (var dead in await inbox.GetDeadLettersAsync(50, ct))
        {
            Console.WriteLine($"{dead.DeliveryId} {dead.EventType} after {dead.Attempts} attempts: {dead.LastError}");
        }

        await inbox.ReplayAsync(first.DeliveryId, ct);          // back into the inbox with a fresh attempt count
        await inbox.DeleteDeadLetterAsync(second.DeliveryId, ct);
        // </snippet:webhooks-dead-letters>

        Assert.Equal(FaableWebhookDispatchOutcome.Handled, (await replayed).Outcome);
        Assert.Equal(1, handled);
        Assert.Empty(await inbox.GetDeadLettersAsync(50, ct));
    }

    [Fact]
    public async Task Redis_StoresTheDelivery_AndTheHealthCheckReadsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DocsApi.CreateBuilder(settings: Settings());
        builder.Services.AddSingleton<UserStore>();

        // <snippet:webhooks-redis>
        builder.Services.AddFaableWebhooks(builder.Configuration.GetSection("Faable:Webhooks"))
            .AddHandler<UserCreated, UserSyncWebhookHandler>()
            .UseRedis(builder.Configuration.GetConnectionString("Redis")!);   // "localhost:6379"; or Faable:Webhooks:Redis:Configuration
        // </snippet:webhooks-redis>
        // <snippet:webhooks-health>
        builder.Services.AddHealthChecks().AddFaableWebhooksHealthCheck();   // check "faable_webhooks_inbox"
        // </snippet:webhooks-health>

        await using var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        app.MapHealthChecks("/health");
        await app.StartAsync(ct);
        using var client = app.GetTestClient();
        var delivery = new FaableWebhookSigner(Secret).Sign(new UserCreated { Payload = new() { User = new() { UserId = "usr_9" } } });

        Assert.Equal(FaableWebhookDispatchOutcome.Handled, (await client.SendFaableWebhookAndWaitAsync(app.Services, s_endpoint, delivery, ct)).Outcome);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        Assert.True(await connection.GetDatabase().KeyExistsAsync("{faable:webhooks}:dedup:" + delivery.DeliveryId));
        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health", UriKind.Relative), ct));
    }
}
