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

    /// <summary>The JWKS is the key set followed by white space up to <see cref="FakeTenant.JwksSize"/> bytes, with a Content-Length.</summary>
    LargeJwks,

    /// <summary>As <see cref="LargeJwks"/>, streamed in chunks without a Content-Length.</summary>
    LargeJwksChunked,

    /// <summary>The JWKS starts a key set and then streams white space without end, until the client goes away.</summary>
    EndlessJwks,
}

/// <summary>
/// A tenant serving discovery and JWKS over real HTTP on 127.0.0.1: switchable down/up/garbage/HTML/truncated, and a
/// Kestrel server that can really be stopped (connections refused) and started again on the same port. Counts fetches.
/// </summary>
internal sealed class FakeTenant : IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private WebApplication? _app;
    private readonly Lock _rawServersGate = new();
    private System.Net.Sockets.TcpListener? _truncating;
    private System.Net.Sockets.TcpListener? _endless;
    private volatile object[] _keys = [];
    private int _jwksFetches;
    private int _discoveryFetches;
    private long _endlessBytesSent;
    private bool _endlessAbandoned;

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

    /// <summary>Gets or sets the size in bytes of the JWKS served in the <see cref="TenantMode.LargeJwks"/> modes.</summary>
    public int JwksSize { get; set; }

    /// <summary>Gets the bytes of endless JWKS the server managed to send (see <see cref="TenantMode.EndlessJwks"/>).</summary>
    public long EndlessBytesSent => Interlocked.Read(ref _endlessBytesSent);

    /// <summary>Gets a value indicating whether an endless JWKS stopped because the client closed the connection.</summary>
    public bool EndlessAbandoned => Volatile.Read(ref _endlessAbandoned);

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
        _truncating?.Stop();
        _truncating?.Dispose();
        _endless?.Stop();
        _endless?.Dispose();
        _lifecycle.Dispose();
    }

    // Kestrel ends a response it cannot complete with a reset, which may overtake the bytes already sent; a raw
    // socket can send the headers and half of the body and then a FIN, which arrives after them: a body cut off
    // mid-read, every time.
    private string TruncatingJwksAddress() => RawJwksAddress(ref _truncating, ServeTruncatedAsync);

    // A raw socket counts what the client really took: the kernel accepts bytes only as fast as the client reads,
    // plus what the two socket buffers hold. (Kestrel discards writes after the client has gone, and counts them.)
    private string EndlessJwksAddress() => RawJwksAddress(ref _endless, ServeEndlessAsync);

    // Starts the raw-socket server on first use and answers its key-document address.
    private string RawJwksAddress(ref System.Net.Sockets.TcpListener? listener, Func<System.Net.Sockets.TcpListener, Task> serve)
    {
        lock (_rawServersGate)
        {
            if (listener is null)
            {
                listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
                listener.Start();
                _ = serve(listener);
            }

            return $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/jwks.json";
        }
    }

    private Task ServeEndlessAsync(System.Net.Sockets.TcpListener listener) => ServeRawAsync(listener, async (socket, _) =>
    {
        var chunk = new byte[16 * 1024];
        chunk.AsSpan().Fill((byte)' ');
        try
        {
            // No length: the body ends when the connection does, which this server never closes.
            await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"keys\": ["u8.ToArray());
            while (Interlocked.Read(ref _endlessBytesSent) < 1L << 30)
            {
                Interlocked.Add(ref _endlessBytesSent, await socket.SendAsync(chunk));
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            Volatile.Write(ref _endlessAbandoned, true);
        }
    });

    private Task ServeTruncatedAsync(System.Net.Sockets.TcpListener listener) => ServeRawAsync(listener, async (socket, buffer) =>
    {
        var body = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = _keys }));
        var head = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        await socket.SendAsync(head);
        await socket.SendAsync(body.AsMemory(0, body.Length / 2));
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        // Wait for the client to give up on the rest, so nothing is reset under its feet.
        try
        {
            while (await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10)) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException)
        {
        }
    });

    // A raw-socket server for answers Kestrel will not give: it reads each request's head, counts the fetch, then lets
    // the responder write whatever bytes it wants on the connection (and closes it when the responder returns).
    private async Task ServeRawAsync(System.Net.Sockets.TcpListener listener, Func<System.Net.Sockets.Socket, byte[], Task> respond)
    {
        while (true)
        {
            System.Net.Sockets.Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (socket)
                {
                    var buffer = new byte[8192];
                    var received = 0;
                    while (received < buffer.Length && !System.Text.Encoding.ASCII.GetString(buffer, 0, received).Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await socket.ReceiveAsync(buffer.AsMemory(received));
                        if (n == 0)
                        {
                            return;
                        }

                        received += n;
                    }

                    Interlocked.Increment(ref _jwksFetches);
                    await respond(socket, buffer);
                }
            });
        }
    }

    private async Task ServeLargeJwksAsync(HttpContext context, bool chunked)
    {
        var keySet = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["keys"] = _keys });
        var body = new byte[Math.Max(JwksSize, keySet.Length)];
        keySet.CopyTo(body, 0);
        body.AsSpan(keySet.Length).Fill((byte)' ');
        context.Response.ContentType = "application/json";
        if (!chunked)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        try
        {
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client stopped reading at its limit.
        }
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
            case TenantMode.LargeJwks or TenantMode.LargeJwksChunked when !discovery:
                await ServeLargeJwksAsync(context, Mode == TenantMode.LargeJwksChunked);
                return;
            case TenantMode.NotAKeySet when !discovery:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"keys\": {\"kid\": \"key-0\"}}");
                return;
        }

        context.Response.ContentType = "application/json";
        object body = discovery
            ? new Dictionary<string, object>
            {
                ["issuer"] = DiscoveryIssuer ?? Issuer,
                ["jwks_uri"] = Mode switch
                {
                    TenantMode.TruncatedJwks => TruncatingJwksAddress(),
                    TenantMode.EndlessJwks => EndlessJwksAddress(),
                    _ => Issuer + "/.well-known/jwks.json",
                },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }
            : new Dictionary<string, object> { ["keys"] = _keys };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
