using System.Net;
using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Faable.Webhooks.Tests;

public sealed class FaableWebhooksHealthCheckTests
{
    [Fact]
    public async Task Check_EmptyInbox_IsHealthy_AndDeadLetterMakesItDegraded()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>((e, sp, ct) => throw new InvalidOperationException("down")),
            o => o.MaxAttempts = 1,
            s => s.AddHealthChecks().AddFaableWebhooksHealthCheck());
        var health = app.Services.GetRequiredService<HealthCheckService>();
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();

        var before = await health.CheckHealthAsync(TestContext.Current.CancellationToken);
        using var response = await app.SendAsync(new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}"""));
        await WebhookDispatchTests.WaitUntilAsync(async () => (await inbox.GetDeadLettersAsync(1, CancellationToken.None)).Count == 1);
        var after = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(HealthStatus.Degraded, after.Status);
        Assert.Contains("dead letter", after.Entries[FaableWebhooksHealthChecksBuilderExtensions.DefaultName].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnreachableRedis_IsUnhealthy()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var app = await WebhookApp.StartAsync(
            b => b.UseRedis($"127.0.0.1:{closedPort},abortConnect=false,connectTimeout=300,asyncTimeout=300"),
            o => o.DispatchEnabled = false,
            s => s.AddHealthChecks().AddFaableWebhooksHealthCheck());

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }
}
