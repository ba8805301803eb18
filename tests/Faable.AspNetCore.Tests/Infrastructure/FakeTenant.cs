using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.AspNetCore.Tests.Infrastructure;

public enum TenantMode
{
    Up,
    Down,
    ServerError,
    Html,
    Garbage,
    Hang,
}

/// <summary>A tenant serving discovery and JWKS over real HTTP on 127.0.0.1, switchable down/up/garbage/HTML, counting fetches.</summary>
internal sealed class FakeTenant : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile object[] _keys = [];
    private int _jwksFetches;
    private int _discoveryFetches;

    private FakeTenant(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public TenantMode Mode { get; set; } = TenantMode.Up;

    /// <summary>Gets or sets the issuer the discovery document announces (defaults to <see cref="Issuer"/>).</summary>
    public string? DiscoveryIssuer { get; set; }

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);

    public static async Task<FakeTenant> StartAsync(params TestKey[] keys)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeTenant? tenant = null;
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => tenant!.ServeAsync(context, discovery: true));
        app.MapGet("/.well-known/jwks.json", (HttpContext context) => tenant!.ServeAsync(context, discovery: false));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        tenant = new FakeTenant(app, address.TrimEnd('/'));
        tenant.SetKeys(keys);
        return tenant;
    }

    public void SetKeys(params TestKey[] keys) => _keys = keys.Select(k => (object)k.ToJwk()).ToArray();

    public void SetJwks(params object[] jwks) => _keys = jwks;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context, bool discovery)
    {
        if (discovery)
        {
            Interlocked.Increment(ref _discoveryFetches);
        }
        else
        {
            Interlocked.Increment(ref _jwksFetches);
        }

        switch (Mode)
        {
            case TenantMode.Down:
                context.Abort();
                return;
            case TenantMode.ServerError:
                context.Response.StatusCode = 500;
                return;
            case TenantMode.Html:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Maintenance</body></html>");
                return;
            case TenantMode.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case TenantMode.Garbage when !discovery:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"keys\": [ {\"kty\": \"RSA\", \"n\": ");
                return;
        }

        context.Response.ContentType = "application/json";
        object body = discovery
            ? new Dictionary<string, object>
            {
                ["issuer"] = DiscoveryIssuer ?? Issuer,
                ["jwks_uri"] = Issuer + "/.well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }
            : new Dictionary<string, object> { ["keys"] = _keys };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
