using Faable.Integrations.Tests.Infrastructure;
using Faable.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Faable.Integrations.Tests;

public sealed class FaableAuthHealthCheckTests
{
    private static Task<TestApi> StartAsync() =>
        TestApi.StartAsync(app => app.MapGet("/orders", () => "orders").RequireScope("read:orders"), services => services.AddHealthChecks().AddFaableAuthHealthCheck());

    private static async Task<HealthReportEntry> CheckAsync(TestApi api)
    {
        var report = await api.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries[FaableAuthHealthChecksBuilderExtensions.DefaultName];
    }

    [Fact]
    public async Task Check_KeysFetched_IsHealthy()
    {
        await using var api = await StartAsync();

        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(1, entry.Data["keys"]);
        Assert.Equal(api.Tenant.Issuer, entry.Data["issuer"]);
    }

    [Fact]
    public async Task Check_TenantUnreachableFromTheStart_IsUnhealthy()
    {
        await using var api = await TestApi.StartAsync(
            app => { },
            services => services.AddHealthChecks().AddFaableAuthHealthCheck());
        api.Tenant.Handler.Outage = FaableTestTenantOutage.ConnectionFailure;

        // The start-up fetch may have succeeded before the outage began: move past the key age limit and the cool-down.
        api.Time.Advance(TimeSpan.FromDays(2));
        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("answered 503", entry.Description, StringComparison.Ordinal);
        Assert.Equal("unreachable", entry.Data["last_refresh_failure"]);
    }

    [Fact]
    public async Task Check_RefreshFailsWithKeysInHand_IsDegradedThenHealthyAgain()
    {
        await using var api = await StartAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(api)).Status);

        api.Tenant.Handler.Outage = FaableTestTenantOutage.ServiceUnavailable;
        api.Time.Advance(TimeSpan.FromHours(2));
        var degraded = await CheckAsync(api);

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("http_503", degraded.Data["last_refresh_failure"]);
        Assert.Contains("last-known-good", degraded.Description, StringComparison.Ordinal);

        api.Tenant.Handler.Outage = FaableTestTenantOutage.None;
        api.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(api)).Status);
    }

    [Fact]
    public async Task Check_KeysOlderThanMaxKeyAge_IsUnhealthy()
    {
        await using var api = await StartAsync();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(api)).Status);

        api.Tenant.Handler.Outage = FaableTestTenantOutage.ConnectionFailure;
        api.Time.Advance(TimeSpan.FromHours(25));
        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("MaxKeyAge", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_IdleApplication_RefreshesDueKeysInsteadOfReportingStale()
    {
        await using var api = await StartAsync();
        await CheckAsync(api);
        var fetches = api.Tenant.Handler.JwksRequestCount;

        api.Time.Advance(TimeSpan.FromHours(3));
        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(fetches + 1, api.Tenant.Handler.JwksRequestCount);
    }
}
