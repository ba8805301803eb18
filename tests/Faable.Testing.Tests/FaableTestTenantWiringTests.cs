using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Testing.Tests;

public sealed class FaableTestTenantWiringTests
{
    [Fact]
    public async Task UseFaableTestTenant_TokenFromTenant_IsAcceptedWithoutNetwork()
    {
        using var tenant = new FaableTestTenant();
        await using var app = await StartApiAsync(tenant);
        using var client = app.GetTestClient();

        using var response = await SendAsync(client, tenant.CreateUserAccessToken().WithScope("openid read:orders").Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(tenant.Handler.JwksRequestCount >= 1);
    }

    [Fact]
    public async Task UseFaableTestTenant_WithAudience_TokensWithoutOneCarryIt()
    {
        using var tenant = new FaableTestTenant();
        await using var app = await StartApiAsync(tenant, audience: "https://orders.example.com");
        using var client = app.GetTestClient();

        using var response = await SendAsync(client, tenant.CreateUserAccessToken().WithScope("read:orders").Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://orders.example.com", tenant.DefaultAudience);
    }

    [Fact]
    public async Task UseFaableTestTenant_OverridesConfiguredDomain()
    {
        using var tenant = new FaableTestTenant("https://acme.auth.faable.link");
        await using var app = await StartApiAsync(tenant, configuredDomain: "real-tenant.auth.faable.link");
        using var client = app.GetTestClient();

        using var response = await SendAsync(client, tenant.CreateUserAccessToken().WithScope("read:orders").Build());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UseFaableTestTenant_MissingScope_Returns403()
    {
        using var tenant = new FaableTestTenant();
        await using var app = await StartApiAsync(tenant);
        using var client = app.GetTestClient();

        using var response = await SendAsync(client, tenant.CreateUserAccessToken().WithScope("openid").Build());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong-audience")]
    [InlineData("userinfo-audience")]
    [InlineData("trailing-slash-issuer")]
    [InlineData("expired")]
    [InlineData("unknown-key")]
    [InlineData("id-token")]
    public async Task UseFaableTestTenant_NegativeVariant_Returns401(string variant)
    {
        using var tenant = new FaableTestTenant();
        await using var app = await StartApiAsync(tenant);
        using var client = app.GetTestClient();
        var builder = variant == "id-token" ? tenant.CreateIdToken() : tenant.CreateUserAccessToken().WithScope("read:orders");
        var token = variant switch
        {
            "wrong-audience" => builder.WithWrongAudience(),
            "userinfo-audience" => builder.WithUserInfoAudience(),
            "trailing-slash-issuer" => builder.WithTrailingSlashIssuer(),
            "expired" => builder.Expired(),
            "unknown-key" => builder.SignedWithUnknownKey(),
            _ => builder,
        };

        using var response = await SendAsync(client, token.Build());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UseFaableTestTenant_TenantDown_DoesNotAnswer200()
    {
        using var tenant = new FaableTestTenant();
        tenant.Handler.Outage = FaableTestTenantOutage.ConnectionFailure;
        await using var app = await StartApiAsync(tenant);
        using var client = app.GetTestClient();

        using var response = await SendAsync(client, tenant.CreateUserAccessToken().WithScope("read:orders").Build());

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(tenant.Handler.RequestCount >= 1);
    }

    private static async Task<WebApplication> StartApiAsync(FaableTestTenant tenant, string configuredDomain = "placeholder.auth.faable.link", string? audience = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = configuredDomain;
            o.Audience = "https://placeholder.example.com";
        });
        builder.WebHost.UseFaableTestTenant(tenant, audience);
        var app = builder.Build();
        app.UseFaableAuth();
        app.MapGet("/orders", () => Results.Ok(new[] { "order-1" })).RequireScope("read:orders");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
