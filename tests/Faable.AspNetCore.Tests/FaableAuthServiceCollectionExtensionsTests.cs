using System.Net;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Faable.AspNetCore.Tests;

public sealed class FaableAuthServiceCollectionExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddFaableAuth_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddFaableAuth(o => o.Domain = "acme.auth.faable.link");
        services.AddFaableAuth(o => o.Audience = "https://api.example.com");

        Assert.Single(services, d => d.ServiceType == typeof(FaableTokenValidator));
        Assert.Single(services, d => d.ServiceType == typeof(IAuthorizationHandler) && d.ImplementationFactory is not null);
        using var provider = services.AddLogging().BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
        Assert.Equal(("acme.auth.faable.link", "https://api.example.com"), (options.Domain, options.Audience));
        var schemes = provider.GetRequiredService<IOptions<AuthenticationOptions>>().Value.Schemes;
        Assert.Single(schemes, s => s.Name == FaableAuthDefaults.AuthenticationScheme);
    }

    [Fact]
    public void AddFaableAuth_ConfigurationSection_BindsEveryKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Faable:Domain"] = "acme.auth.faable.link",
            ["Faable:Audience"] = "https://api.example.com",
            ["Faable:Audiences:0"] = "urn:orders",
            ["Faable:Audiences:1"] = "urn:billing",
            ["Faable:ClockSkew"] = "00:00:10",
            ["Faable:TrustPermissionsOnly"] = "true",
            ["Faable:JwksRefreshCooldown"] = "00:01:00",
            ["Faable:TokenCacheSize"] = "50",
        }).Build();
        var services = new ServiceCollection();

        var builder = services.AddFaableAuth(configuration.GetSection(FaableAuthDefaults.ConfigurationSection));

        Assert.Same(services, builder.Services);
        using var provider = services.AddLogging().BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
        Assert.Equal(["urn:orders", "urn:billing"], options.Audiences);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ClockSkew);
        Assert.True(options.TrustPermissionsOnly);
        Assert.Equal(TimeSpan.FromMinutes(1), options.JwksRefreshCooldown);
        Assert.Equal(50, options.TokenCacheSize);
    }

    [Fact]
    public async Task AddFaableAuth_BackchannelHttpHandler_ServesLocalTenantInProcess()
    {
        const string issuer = "http://localhost/_faable";
        var handler = new InProcessTenantHandler(issuer, TestKey.Shared(3));
        await using var app = await StartAsync(s => s.AddFaableAuth(o =>
        {
            o.Domain = issuer;
            o.Audience = ApiHost.Audience;
            o.RequireHttpsMetadata = false;
            o.BackchannelHttpHandler = handler;
        }));
        var time = app.Services.GetRequiredService<TimeProvider>();
        var token = new TokenFactory(issuer, ApiHost.Audience, (FakeTimeProvider)time, TestKey.Shared(3)).Create();

        using var response = await SendAsync(app, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(handler.Requests >= 2);
    }

    [Fact]
    public async Task AddFaableAuth_NamedHttpClient_IsUsedForDiscoveryAndKeys()
    {
        const string issuer = "https://acme.auth.faable.link";
        var handler = new InProcessTenantHandler(issuer, TestKey.Shared(3));
        await using var app = await StartAsync(s =>
        {
            s.AddFaableAuth(o => { o.Domain = "acme.auth.faable.link"; o.Audience = ApiHost.Audience; });
            s.AddHttpClient(FaableAuthDefaults.BackchannelHttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        });
        var time = (FakeTimeProvider)app.Services.GetRequiredService<TimeProvider>();
        var token = new TokenFactory(issuer, ApiHost.Audience, time, TestKey.Shared(3)).Create();

        using var response = await SendAsync(app, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(handler.Requests >= 2);
    }

    private static async Task<WebApplication> StartAsync(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(ApiHost.Start));
        configure(builder.Services);
        var app = builder.Build();
        app.UseFaableAuth();
        app.MapGet("/orders", () => "orders").RequireScope("read:orders");
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task<HttpResponseMessage> SendAsync(WebApplication app, string token)
    {
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request, Ct);
    }
}
