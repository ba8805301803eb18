using System.Collections.Concurrent;
using Faable.Webhooks;
using Faable.Webhooks.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Testing.Tests;

/// <summary>The helpers a user's tests call: deliveries built for unit tests, and sending a delivery then waiting for its handler.</summary>
public sealed class FaableWebhookTestHelpersTests
{
    private const string Secret = "whsec_test_helpers_secret_0001";
    private static readonly Uri Endpoint = new("/hooks/faable", UriKind.Relative);

    [Fact]
    public async Task Create_FromEvent_GivesAHandlerWhatTheDispatcherWould()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 30, 0, TimeSpan.Zero));
        var archive = new UserArchive();

        var delivery = FaableWebhookTestDeliveries.Create(
            new UserCreated { Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_ada", Email = "ada@example.com" } } },
            attempt: 2,
            secretId: "previous",
            timeProvider: time);
        await archive.OnDeliveryAsync(delivery, TestContext.Current.CancellationToken);

        Assert.StartsWith("evt_", delivery.DeliveryId, StringComparison.Ordinal);
        Assert.Equal("user.created", delivery.EventType);
        Assert.Equal(2, delivery.Attempt);
        Assert.Equal("previous", delivery.SecretId);
        Assert.Equal(time.GetUtcNow(), delivery.Timestamp);
        Assert.Equal(time.GetUtcNow(), delivery.ReceivedAt);
        Assert.Equal(["user.created:usr_ada:previous"], archive.Rows);
        Assert.Contains("\"id\":\"" + delivery.DeliveryId + "\"", delivery.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_KeepsTheBytes_AndReadsTheIdentityFromThem()
    {
        const string Json = """{"id":"evt_raw","type":"organization.created","payload":{"org":"o_1"}}""";

        var delivery = FaableWebhookTestDeliveries.FromJson(Json);

        Assert.Equal("evt_raw", delivery.DeliveryId);
        Assert.Equal("organization.created", delivery.EventType);
        Assert.Equal(Json, delivery.BodyText);
        Assert.Equal("default", delivery.SecretId);
        Assert.Equal(1, delivery.Attempt);
        Assert.False(delivery.TryReadEvent(out _));
    }

    [Theory]
    [InlineData("""{"type":"user.created"}""")]
    [InlineData("""{"id":"evt_1","type":1}""")]
    [InlineData("""[]""")]
    public void FromJson_BodyTheEndpointWouldRefuse_ThrowsWithTheReason(string json)
    {
        var error = Assert.Throws<ArgumentException>(() => FaableWebhookTestDeliveries.FromJson(json));

        Assert.Contains("MalformedBody", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEvent_RawJson_IsTheTypedEventATypedHandlerReceives()
    {
        var deleted = FaableWebhookTestDeliveries.ReadEvent<UserDeleted>("""{"id":"evt_d","type":"user.deleted","produced_at":"2026-05-12T10:30:00Z","payload":{"user":{"user_id":"usr_gone","plan":"pro"}}}""");
        var asBase = FaableWebhookTestDeliveries.ReadEvent<FaableWebhookEvent>("""{"id":"evt_l","type":"auth.login","payload":{"user":{"user_id":"usr_1"}}}""");

        Assert.Equal("usr_gone", deleted.User.UserId);
        Assert.Equal("pro", deleted.User.AdditionalProperties!["plan"].GetString());
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 10, 30, 0, TimeSpan.Zero), deleted.ProducedAt);
        Assert.IsType<AuthLogin>(asBase);
        Assert.Throws<ArgumentException>(() => FaableWebhookTestDeliveries.ReadEvent<UserCreated>("""{"id":"evt_d","type":"user.deleted","payload":{"user":{"user_id":"u"}}}"""));
        Assert.Throws<ArgumentException>(() => FaableWebhookTestDeliveries.ReadEvent<UserCreated>("""{"id":"evt_c","type":"user.created","payload":[]}"""));
    }

    [Fact]
    public async Task SendFaableWebhookAndWaitAsync_ReturnsOnceTheHandlerHasRun()
    {
        await using var app = await StartAppAsync(b => b.AddHandler<UserCreated>(async (e, services, ct) =>
        {
            // A handler that takes a moment, as one writing to a database would.
            await Task.Delay(300, ct);
            services.GetRequiredService<UserTable>().Users[e.User.UserId] = e.User.Email ?? string.Empty;
        }));
        using var client = app.GetTestClient();
        var delivery = new FaableWebhookSigner(Secret).Sign(new UserCreated { Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_ada", Email = "ada@example.com" } } });

        var result = await client.SendFaableWebhookAndWaitAsync(app.Services, Endpoint, delivery, TestContext.Current.CancellationToken);

        Assert.Equal(FaableWebhookDispatchOutcome.Handled, result.Outcome);
        Assert.Equal(delivery.DeliveryId, result.DeliveryId);
        Assert.Equal("ada@example.com", app.Services.GetRequiredService<UserTable>().Users["usr_ada"]);
    }

    [Fact]
    public async Task SendFaableWebhookAndWaitAsync_FailingHandler_ReportsTheError()
    {
        await using var app = await StartAppAsync(b => b.AddHandler<UserCreated>((e, services, ct) => throw new InvalidOperationException("database down")));
        using var client = app.GetTestClient();
        var delivery = new FaableWebhookSigner(Secret).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}""");

        var result = await client.SendFaableWebhookAndWaitAsync(app.Services, Endpoint, delivery, TestContext.Current.CancellationToken);

        Assert.Equal(FaableWebhookDispatchOutcome.RetryScheduled, result.Outcome);
        Assert.Equal("System.InvalidOperationException: database down", result.Error);
    }

    [Fact]
    public async Task SendFaableWebhookAndWaitAsync_RefusedDelivery_ThrowsWithTheAnswer()
    {
        await using var app = await StartAppAsync(b => b.AddHandler<UserCreated>((e, services, ct) => Task.CompletedTask));
        using var client = app.GetTestClient();
        var delivery = new FaableWebhookSigner("whsec_some_other_secret_00000").Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendFaableWebhookAndWaitAsync(app.Services, Endpoint, delivery, TestContext.Current.CancellationToken));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("signature_mismatch", error.Message, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAppAsync(Action<FaableWebhooksBuilder> handlers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<UserTable>();
        handlers(builder.Services.AddFaableWebhooks(o =>
        {
            o.Secret = Secret;
            o.InitialRetryDelay = TimeSpan.FromSeconds(30);
            o.MaxRetryDelay = TimeSpan.FromSeconds(30);
        }));
        var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private sealed class UserTable
    {
        public ConcurrentDictionary<string, string> Users { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A user's own observer, as it would be written in an application.</summary>
    private sealed class UserArchive : IFaableWebhookDeliveryObserver
    {
        public ConcurrentQueue<string> Rows { get; } = new();

        public Task OnDeliveryAsync(FaableWebhookDelivery delivery, CancellationToken cancellationToken)
        {
            var user = delivery.TryReadEvent(out var e) && e is UserCreated created ? created.User.UserId : "?";
            Rows.Enqueue($"{delivery.EventType}:{user}:{delivery.SecretId}");
            return Task.CompletedTask;
        }
    }
}
