using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Testing.Tests;

public sealed class LocalTenantAuthTests
{
    [Fact]
    public async Task UseFaableLocalTenant_MachineTokenFromHostedTenant_CallsProtectedEndpoint()
    {
        var port = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddFaableLocalTenant(LocalTenantHost.Defaults);
        builder.Services.AddFaableAuth().UseFaableLocalTenant();
        await using var app = builder.Build();
        app.UseFaableAuth();
        app.MapFaableLocalTenant();
        app.MapGet("/orders", () => Results.Ok(new[] { "order-1" })).RequireScope("read:orders");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var tokenResponse = await client.PostAsync("_faable/oauth/token", new FormUrlEncodedContent(
        [
            new("grant_type", "client_credentials"),
            new("client_id", LocalTenantHost.BackendClientId),
            new("client_secret", LocalTenantHost.BackendSecret),
            new("audience", LocalTenantHost.ApiIdentifier),
            new("scope", "read:orders"),
        ]), TestContext.Current.CancellationToken);
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("access_token").GetString();
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "orders");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var ok = await client.SendAsync(withToken, TestContext.Current.CancellationToken);
        using var anonymous = await client.GetAsync("orders", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal($"http://127.0.0.1:{port}/_faable", app.Services.GetRequiredService<FaableLocalTenant>().Issuer);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
