using Faable.Tests.Shared;
using System.Net;
using Faable.Integrations.Tests.Infrastructure;
using Faable.Webhooks;
using Faable.Webhooks.Events;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Faable.Integrations.Tests;

public sealed class FaableWebhooksHealthCheckTests
{
    internal const string Secret = "whsec_integration_tests_0123456789";

    internal static async Task<WebApplication> StartAsync(Action<FaableWebhookOptions> configure, Action<FaableWebhooksBuilder> handlers, Action<IHealthChecksBuilder> health)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var webhooks = builder.Services.AddFaableWebhooks(o =>
        {
            o.Secret = Secret;
            o.PollInterval = TimeSpan.FromMilliseconds(20);
            o.InitialRetryDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(20);
            configure(o);
        });
        handlers(webhooks);
        health(builder.Services.AddHealthChecks());
        var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    internal static async Task SendAsync(WebApplication app, int count)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var signer = new FaableWebhookSigner(Secret);
        for (var i = 0; i < count; i++)
        {
            var delivery = signer.Sign(FaableWebhookEventTypes.UserCreated, FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1","email":"ada@example.com"}}""");
            using var response = await client.SendAsync(delivery.CreateRequest(new Uri("/hooks/faable", UriKind.Relative)), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    private static async Task<HealthReportEntry> CheckAsync(WebApplication app)
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries[FaableWebhooksHealthChecksBuilderExtensions.DefaultName];
    }

    private static Task<HealthReportEntry> EventuallyAsync(WebApplication app, HealthStatus status) =>
        EventuallyAsync(app, e => e.Status == status);

    private static async Task<HealthReportEntry> EventuallyAsync(WebApplication app, Func<HealthReportEntry, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var entry = await CheckAsync(app);
            if (done(entry) || watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                return entry;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Check_HandledDeliveries_IsHealthy()
    {
        await using var app = await StartAsync(_ => { }, w => w.AddHandler<UserCreated>((_, _, _) => Task.CompletedTask), h => h.AddFaableWebhooksHealthCheck());
        await SendAsync(app, 3);

        var entry = await EventuallyAsync(app, e => e.Data.TryGetValue("backlog", out var backlog) && backlog is 0L);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(0L, entry.Data["backlog"]);
    }

    [Fact]
    public async Task Check_DeadLetter_IsDegraded()
    {
        await using var app = await StartAsync(
            o => o.MaxAttempts = 1,
            w => w.AddHandler<UserCreated>((_, _, _) => throw new InvalidOperationException("database down")),
            h => h.AddFaableWebhooksHealthCheck());
        await SendAsync(app, 1);

        var entry = await EventuallyAsync(app, HealthStatus.Degraded);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("dead letter", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BacklogAtThreshold_IsDegraded()
    {
        await using var app = await StartAsync(
            o => o.DispatchEnabled = false,
            w => w.AddHandler<UserCreated>((_, _, _) => Task.CompletedTask),
            h => h.AddFaableWebhooksHealthCheck("inbox", o => o.DegradedBacklog = 3, ["ready"]));
        await SendAsync(app, 2);
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Entries["inbox"].Status);

        await SendAsync(app, 1);
        report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Degraded, report.Entries["inbox"].Status);
        Assert.Equal(3L, report.Entries["inbox"].Data["backlog"]);
        Assert.Contains("ready", report.Entries["inbox"].Tags);
    }

    [Fact]
    public async Task Check_Redis_ReadsTheSharedInboxAndIsUnhealthyWhenRedisIsDown()
    {
        await using var redis = await LocalRedis.StartAsync(TestContext.Current.CancellationToken);
        await using var app = await StartAsync(
            o => o.MaxAttempts = 1,
            w => w.AddHandler<UserCreated>((_, _, _) => throw new InvalidOperationException("database down")).UseRedis(redis.Configuration + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000"),
            h => h.AddFaableWebhooksHealthCheck());
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(app)).Status);

        await SendAsync(app, 1);
        Assert.Equal(HealthStatus.Degraded, (await EventuallyAsync(app, HealthStatus.Degraded)).Status);

        await redis.StopAsync();
        var entry = await CheckAsync(app);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("cannot be read", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFaableWebhooksHealthCheck_ThresholdBelowOne_Throws()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentOutOfRangeException>(() => services.AddHealthChecks().AddFaableWebhooksHealthCheck("inbox", o => o.DegradedDeadLetters = 0, null));
    }
}
