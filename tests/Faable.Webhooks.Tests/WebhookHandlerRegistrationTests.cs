using System.Collections.Concurrent;
using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.Webhooks.Tests;

/// <summary>
/// What the dispatcher does with each kind of registration: base-type handlers, event types nothing takes, ignored
/// types, delivery observers, and what a test can wait for.
/// </summary>
public sealed class WebhookHandlerRegistrationTests
{
    private const string Payload = """{"user":{"user_id":"usr_ada","email":"ada@example.com"}}""";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AddHandler_BaseEventType_ReceivesEveryKnownEvent()
    {
        var seen = new ConcurrentQueue<string>();
        await using var app = await WebhookApp.StartAsync(b => b.AddHandler<FaableWebhookEvent>((e, sp, ct) =>
        {
            seen.Enqueue(e.GetType().Name + ":" + e.Type + ":" + e.Id);
            return Task.CompletedTask;
        }));
        var signer = new FaableWebhookSigner(TestSecrets.Current);
        var deliveries = new[] { FaableWebhookEventTypes.UserCreated, FaableWebhookEventTypes.UserUpdated, FaableWebhookEventTypes.UserDeleted, FaableWebhookEventTypes.AuthLogin }.Select(t => signer.Sign(t, FaableWebhookSigner.NewDeliveryId(), Payload)).ToList();

        var results = await SendAndWaitAsync(app, deliveries);

        Assert.All(results, r => Assert.Equal(FaableWebhookDispatchOutcome.Handled, r.Outcome));
        Assert.Equal(
            ["AuthLogin:auth.login", "UserCreated:user.created", "UserDeleted:user.deleted", "UserUpdated:user.updated"],
            seen.Select(s => string.Join(':', s.Split(':')[..2])).Order(StringComparer.Ordinal));
        Assert.Equal(deliveries.Select(d => d.DeliveryId).Order(StringComparer.Ordinal), seen.Select(s => s.Split(':')[2]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AddHandler_BaseAndConcreteType_BothRunInRegistrationOrder()
    {
        var seen = new ConcurrentQueue<string>();
        await using var app = await WebhookApp.StartAsync(b => b
            .AddHandler<FaableWebhookEvent>((e, sp, ct) => Enqueue(seen, "any:" + e.Type))
            .AddHandler<UserDeleted>((e, sp, ct) => Enqueue(seen, "deleted:" + e.User.UserId)));

        var result = Assert.Single(await SendAndWaitAsync(app, [new FaableWebhookSigner(TestSecrets.Current).Sign("user.deleted", FaableWebhookSigner.NewDeliveryId(), Payload)]));

        Assert.Equal(FaableWebhookDispatchOutcome.Handled, result.Outcome);
        Assert.Equal(["any:user.deleted", "deleted:usr_ada"], seen);
    }

    [Fact]
    public async Task KnownEventWithoutHandler_IsAWarningAndCountedUnhandled()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>((e, sp, ct) => Task.CompletedTask),
            services: s => s.AddFakeLogging());
        using var dispatches = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), FaableWebhookDefaults.MeterName, "faable.webhooks.dispatches");
        var signer = new FaableWebhookSigner(TestSecrets.Current);

        var results = await SendAndWaitAsync(app, [signer.Sign("user.deleted", FaableWebhookSigner.NewDeliveryId(), Payload), signer.Sign("organization.created", FaableWebhookSigner.NewDeliveryId(), "{}")]);

        Assert.All(results, r => Assert.Equal(FaableWebhookDispatchOutcome.Unhandled, r.Outcome));
        var warnings = app.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 2013).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains(warnings, w => w.Message.Contains("user.deleted", StringComparison.Ordinal) && w.Message.Contains("Ignore<TEvent>()", StringComparison.Ordinal));
        Assert.Equal(2, dispatches.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == "unhandled"));
        Assert.Equal(0, await app.Services.GetRequiredService<IFaableWebhookInbox>().GetBacklogAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Ignore_DeclaredType_CompletesQuietly_OthersStillWarn()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>((e, sp, ct) => Task.CompletedTask).Ignore<UserDeleted>(),
            services: s => s.AddFakeLogging());
        using var dispatches = new MetricCollector<long>(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), FaableWebhookDefaults.MeterName, "faable.webhooks.dispatches");
        var signer = new FaableWebhookSigner(TestSecrets.Current);

        var results = await SendAndWaitAsync(app, [signer.Sign("user.deleted", FaableWebhookSigner.NewDeliveryId(), Payload), signer.Sign("user.updated", FaableWebhookSigner.NewDeliveryId(), Payload)]);

        Assert.Equal([FaableWebhookDispatchOutcome.Ignored, FaableWebhookDispatchOutcome.Unhandled], results.Select(r => r.Outcome));
        var warning = Assert.Single(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 2013);
        Assert.Contains("user.updated", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, dispatches.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == "ignored"));
    }

    [Fact]
    public async Task DeliveryObserver_SeesEveryVerifiedDelivery_WithTheSecretThatVerifiedIt()
    {
        var observed = new ConcurrentQueue<FaableWebhookDelivery>();
        var handled = new ConcurrentQueue<string>();
        await using var app = await WebhookApp.StartAsync(
            b => b
                .AddDeliveryObserver((d, sp, ct) => Enqueue(observed, d))
                .AddHandler<UserCreated>((e, sp, ct) => Enqueue(handled, e.Id)),
            services: s => s.AddFakeLogging());
        var current = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        var previous = new FaableWebhookSigner(TestSecrets.Previous).Sign("user.deleted", FaableWebhookSigner.NewDeliveryId(), Payload);
        var unknown = new FaableWebhookSigner(TestSecrets.Current).Sign("organization.created", FaableWebhookSigner.NewDeliveryId(), """{"org":"o_1"}""");

        var results = await SendAndWaitAsync(app, [current, previous, unknown]);

        Assert.All(results, r => Assert.Equal(FaableWebhookDispatchOutcome.Handled, r.Outcome));
        Assert.Equal([current.DeliveryId], handled);
        var byId = observed.ToDictionary(d => d.DeliveryId);
        Assert.Equal(3, byId.Count);
        Assert.Equal("current", byId[current.DeliveryId].SecretId);
        Assert.Equal("previous", byId[previous.DeliveryId].SecretId);
        Assert.Equal(unknown.BodyText, byId[unknown.DeliveryId].BodyText);
        Assert.True(byId[previous.DeliveryId].TryReadEvent(out var read));
        Assert.Equal("usr_ada", Assert.IsType<UserDeleted>(read).User.UserId);
        Assert.False(byId[unknown.DeliveryId].TryReadEvent(out _));

        // An observer sees what no handler takes, so nothing was dropped silently.
        Assert.DoesNotContain(app.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 2013);
    }

    [Fact]
    public async Task DeliveryObserver_Throwing_FailsTheAttemptBeforeHandlersRun()
    {
        var attempts = 0;
        var handled = new ConcurrentQueue<string>();
        await using var app = await WebhookApp.StartAsync(b => b
            .AddDeliveryObserver((d, sp, ct) => Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException("archive down") : Task.CompletedTask)
            .AddHandler<UserCreated>((e, sp, ct) => Enqueue(handled, e.Id)),
            o =>
            {
                // Time for the test to start waiting for the second attempt once the first has been reported.
                o.InitialRetryDelay = TimeSpan.FromMilliseconds(500);
                o.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            });
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);
        using var timeout = new CancellationTokenSource(Patience);

        var first = inbox.WaitForDispatchAsync(delivery.DeliveryId, timeout.Token);
        (await app.SendAsync(delivery)).Dispose();
        var failed = await first;
        var second = await inbox.WaitForDispatchAsync(delivery.DeliveryId, timeout.Token);

        Assert.Equal(FaableWebhookDispatchOutcome.RetryScheduled, failed.Outcome);
        Assert.Equal("System.InvalidOperationException: archive down", failed.Error);
        Assert.False(failed.IsFinal);
        Assert.Equal(FaableWebhookDispatchOutcome.Handled, second.Outcome);
        Assert.Equal(2, second.Attempt);
        Assert.True(second.IsFinal);
        Assert.Equal([delivery.DeliveryId], handled);
    }

    [Fact]
    public async Task FallbackHandler_ReceivesTheDeliveryWithItsSecret()
    {
        var fallback = new ConcurrentQueue<FaableWebhookDelivery>();
        await using var app = await WebhookApp.StartAsync(b => b.AddFallbackHandler((d, sp, ct) => Enqueue(fallback, d)));
        var delivery = new FaableWebhookSigner(TestSecrets.Previous).Sign("organization.created", FaableWebhookSigner.NewDeliveryId(), "{}");

        await SendAndWaitAsync(app, [delivery]);

        var received = Assert.Single(fallback);
        Assert.Equal("previous", received.SecretId);
        Assert.Equal(1, received.Attempt);
    }

    private static Task Enqueue<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        return Task.CompletedTask;
    }

    private static async Task<FaableWebhookDispatchResult[]> SendAndWaitAsync(WebhookApp app, IReadOnlyList<FaableWebhookSignedDelivery> deliveries)
    {
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        using var timeout = new CancellationTokenSource(Patience);
        var waits = deliveries.Select(d => inbox.WaitForDispatchAsync(d.DeliveryId, timeout.Token)).ToList();
        foreach (var delivery in deliveries)
        {
            using var response = await app.SendAsync(delivery);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        return await Task.WhenAll(waits);
    }
}
