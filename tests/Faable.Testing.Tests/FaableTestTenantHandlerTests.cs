using System.Net;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Faable.Testing.Tests;

public sealed class FaableTestTenantHandlerTests
{
    [Fact]
    public async Task ConfigurationManager_ThroughHandler_GetsIssuerAndKeys()
    {
        using var tenant = new FaableTestTenant();
        using var client = new HttpClient(tenant.Handler, disposeHandler: false);
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            tenant.DiscoveryUri.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(client));

        var config = await manager.GetConfigurationAsync(TestContext.Current.CancellationToken);

        Assert.Equal(tenant.Issuer, config.Issuer);
        Assert.Equal(tenant.CurrentKeyId, Assert.Single(config.SigningKeys).KeyId);
        Assert.Equal(1, tenant.Handler.DiscoveryRequestCount);
        Assert.Equal(1, tenant.Handler.JwksRequestCount);
        Assert.Equal(2, tenant.Handler.RequestCount);
    }

    [Fact]
    public async Task Send_UnknownPath_Returns404AndCounts()
    {
        using var tenant = new FaableTestTenant();
        using var client = new HttpClient(tenant.Handler, disposeHandler: false);

        using var response = await client.GetAsync(new Uri(tenant.Issuer + "/nope"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, tenant.Handler.RequestCount);
        Assert.Equal(0, tenant.Handler.JwksRequestCount);
    }

    [Fact]
    public async Task Send_OtherHost_Returns404()
    {
        using var tenant = new FaableTestTenant();
        using var client = new HttpClient(tenant.Handler, disposeHandler: false);

        using var response = await client.GetAsync(new Uri("https://evil.example.com/.well-known/jwks.json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Send_ServiceUnavailableOutage_Returns503()
    {
        using var tenant = new FaableTestTenant();
        using var client = new HttpClient(tenant.Handler, disposeHandler: false);
        tenant.Handler.Outage = FaableTestTenantOutage.ServiceUnavailable;

        using var response = await client.GetAsync(tenant.JwksUri, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, tenant.Handler.JwksRequestCount);
    }

    [Fact]
    public async Task Send_ConnectionFailureOutage_ThrowsThenRecovers()
    {
        using var tenant = new FaableTestTenant();
        using var client = new HttpClient(tenant.Handler, disposeHandler: false);
        tenant.Handler.Outage = FaableTestTenantOutage.ConnectionFailure;

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(tenant.JwksUri, TestContext.Current.CancellationToken));

        tenant.Handler.Outage = FaableTestTenantOutage.None;
        using var response = await client.GetAsync(tenant.JwksUri, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tenant.GetJwks(), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, tenant.Handler.JwksRequestCount);
    }

    [Fact]
    public async Task HttpClientDispose_HandlerKeepsWorking()
    {
        using var tenant = new FaableTestTenant();
        using (var first = new HttpClient(tenant.Handler))
        {
            using var r = await first.GetAsync(tenant.JwksUri, TestContext.Current.CancellationToken);
        }

        using var second = new HttpClient(tenant.Handler, disposeHandler: false);
        using var response = await second.GetAsync(tenant.DiscoveryUri, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ResetCounters_SetsZero()
    {
        using var tenant = new FaableTestTenant();
        using var client = new HttpClient(tenant.Handler, disposeHandler: false);
        using var response = await client.GetAsync(tenant.JwksUri, TestContext.Current.CancellationToken);
        Assert.Equal(1, tenant.Handler.JwksRequestCount);

        tenant.Handler.ResetCounters();

        Assert.Equal(0, tenant.Handler.RequestCount);
        Assert.Equal(0, tenant.Handler.JwksRequestCount);
    }
}
