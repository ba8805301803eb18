using System.Diagnostics.Metrics;
using System.Net;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// Endpoints without any authorization requirement: a valid token still populates <c>User</c> (a repeated token costs a
/// cache lookup); an invalid token or an unreachable tenant never turns an open endpoint into a 401 or 503.
/// </summary>
public sealed class OpenEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenEndpoint_ValidToken_PopulatesUser()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/open", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal("user_66f1a2b3c4d5e6f7a8b9c0d1", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task OpenEndpoint_InvalidToken_IsServedAnonymously()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var tokens = api.Tokens(TestKey.Shared(0));

        using var response = await api.GetAsync("/open", tokens.Create(c => c["exp"] = tokens.Now - 600));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anonymous", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task OpenEndpoint_TenantDown_IsServedAnonymously()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Down;
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/open", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("anonymous", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task OpenEndpoint_RepeatedToken_CostsACacheLookup()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        using var lookups = new MetricCollector<long>(api.Services.GetRequiredService<IMeterFactory>(), FaableAuthDefaults.MeterName, "faable.auth.token_cache_lookups");
        var token = api.Tokens(TestKey.Shared(0)).Create();

        for (var i = 0; i < 3; i++)
        {
            using var response = await api.GetAsync("/open", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var snapshot = lookups.GetMeasurementSnapshot();
        Assert.Equal(1, snapshot.Count(m => (string?)m.Tags["result"] == "miss"));
        Assert.Equal(2, snapshot.Count(m => (string?)m.Tags["result"] == "hit"));
    }
}
