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

    /// <summary>The JWKS answer announces its full length, sends half of it and drops the connection.</summary>
    TruncatedJwks,

    /// <summary>Discovery and JWKS are well-formed JSON, but the JWKS is not a key set.</summary>
    NotAKeySet,
}

/// <summary>
/// A tenant serving discovery and JWKS over real HTTP on 127.0.0.1: switchable down/up/garbage/HTML/truncated, and a
/// Kestrel server that can really be stopped (connections refused) and started again on the same port. Counts fetches.
/// </summary>
internal sealed class FakeTenant : IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private WebApplication? _app;
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

    public bool IsRunning => Volatile.Read(ref _app) is not null;

    public static async Task<FakeTenant> StartAsync(params TestKey[] keys)
    {
        FakeTenant? tenant = null;
        var app = Build("http://127.0.0.1:0", () => tenant!);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        tenant = new FakeTenant(app, address.TrimEnd('/'));
        tenant.SetKeys(keys);
        return tenant;
    }

    public void SetKeys(params TestKey[] keys) => _keys = keys.Select(k => (object)k.ToJwk()).ToArray();

    public void SetJwks(params object[] jwks) => _keys = jwks;

    /// <summary>Stops the Kestrel server: from now on connections to the tenant are refused.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            var app = Interlocked.Exchange(ref _app, null);
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts the server again on the same address, serving the keys set now.</summary>
    public async Task RestartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_app is not null)
            {
                return;
            }

            // The port was just released; another process may take it in between, which fails the test loudly.
            for (var attempt = 0; ; attempt++)
            {
                var app = Build(Issuer, () => this);
                try
                {
                    await app.StartAsync();
                    _app = app;
                    return;
                }
                catch (IOException) when (attempt < 50)
                {
                    await app.DisposeAsync();
                    await Task.Delay(100);
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _lifecycle.Dispose();
    }

    private static WebApplication Build(string url, Func<FakeTenant> tenant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls(url);
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => tenant().ServeAsync(context, discovery: true));
        app.MapGet("/.well-known/jwks.json", (HttpContext context) => tenant().ServeAsync(context, discovery: false));
        return app;
    }

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
            case TenantMode.NotAKeySet when !discovery:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"keys\": {\"kid\": \"key-0\"}}");
                return;
            case TenantMode.TruncatedJwks when !discovery:
                var full = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = _keys }));
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = full.Length;
                await context.Response.Body.WriteAsync(full.AsMemory(0, full.Length / 2));
                await context.Response.Body.FlushAsync();

                // Let the client read the headers and the first half before the connection drops (a reset that
                // arrives first would discard the unread bytes and look like a refused connection).
                await Task.Delay(200);
                context.Abort();
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
