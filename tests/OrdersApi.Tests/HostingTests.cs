using System.Net;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>Which tenant the sample trusts, and that the local tenant is hosted only where it is allowed.</summary>
public sealed class HostingTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] RealTenant =
    [
        "--Faable:Domain=acme.auth.faable.link",
        "--Faable:Audience=https://orders.example.com",
        "--Faable:Webhooks:Secret=whsec_production_secret_0123456789",
    ];

    [Fact]
    public async Task Production_NoTenantConfigured_FailsAtStartNamingTheSettings()
    {
        await using var sample = SampleProcess.LaunchBuilt("Production");

        var exitCode = await sample.WaitForExitAsync(ExitTimeout);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Faable:Domain", sample.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/_faable", sample.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_OnlyDomainConfigured_FailsAtStartAskingForBoth()
    {
        await using var sample = SampleProcess.LaunchBuilt("Development", "--Faable:Domain=acme.auth.faable.link");

        var exitCode = await sample.WaitForExitAsync(ExitTimeout);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Set both Faable:Domain and Faable:Audience", sample.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task RealTenantConfigured_HostsNoLocalTenant(string environment)
    {
        await using var sample = await SampleProcess.StartBuiltAsync(environment, RealTenant);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var discovery = await http.GetAsync(sample.Tenant + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        using var token = await http.PostAsync(sample.Tenant + "/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }), TestContext.Current.CancellationToken);
        using var orders = await http.GetAsync(sample.Origin + "/orders", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, discovery.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, orders.StatusCode);
        Assert.DoesNotContain("local Faable tenant", sample.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_LocalTenantExplicitlyAllowed_HostsIt()
    {
        await using var sample = await SampleProcess.StartBuiltAsync(
            "Production", "--Faable:LocalTenant:AllowOutsideDevelopment=true", "--Faable:Webhooks:Secret=whsec_staging_secret_0123456789");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var discovery = await http.GetAsync(sample.Tenant + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        var json = await discovery.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"\"issuer\":\"{sample.Tenant}\"", json.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
