using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// The pieces of the outage run: a tenant process serving discovery and JWKS over HTTP (stopped and restarted by the
/// script), token minting with the tenant's keys, and the protected API fetching keys from that tenant over HTTP.
/// </summary>
internal static class Outage
{
    public static readonly string[] Commands = ["keygen", "tenant", "mint", "faable-http"];

    private const string Audience = "https://orders.example.com";

    public static async Task RunAsync(string[] args)
    {
        switch (args[0])
        {
            case "keygen":
                Directory.CreateDirectory(args[1]);
                foreach (var kid in args[2..])
                {
                    using var rsa = RSA.Create(2048);
                    File.WriteAllText(Path.Combine(args[1], kid + ".pem"), rsa.ExportRSAPrivateKeyPem());
                }

                break;
            case "tenant":
                await TenantAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3..]);
                break;
            case "mint":
                Mint(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), args[5]);
                break;
            case "faable-http":
                await ApiAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
                break;
        }
    }

    private static RSA Load(string dir, string kid)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(dir, kid + ".pem")));
        return rsa;
    }

    private static async Task TenantAsync(int port, string dir, string[] kids)
    {
        var issuer = $"http://127.0.0.1:{port}";
        var keys = kids.Select(kid =>
        {
            using var rsa = Load(dir, kid);
            var p = rsa.ExportParameters(false);
            return new { kty = "RSA", use = "sig", alg = "RS256", kid, n = B64(p.Modulus!), e = B64(p.Exponent!) };
        }).ToArray();
        var discovery = JsonSerializer.Serialize(new { issuer, jwks_uri = issuer + "/.well-known/jwks.json" });
        var jwks = JsonSerializer.Serialize(new { keys });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(issuer);
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Console.WriteLine($"{Stamp()} fetch discovery");
            return Results.Text(discovery, "application/json");
        });
        app.MapGet("/.well-known/jwks.json", () =>
        {
            Console.WriteLine($"{Stamp()} fetch jwks {string.Join(',', kids)}");
            return Results.Text(jwks, "application/json");
        });
        app.MapGet("/ready", () => "ready");
        await app.RunAsync();
    }

    private static void Mint(string issuer, string dir, string kid, int count, string file)
    {
        using var rsa = Load(dir, kid);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var header = Encode(JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = kid }));
        var lines = Enumerable.Range(0, count).Select(i =>
        {
            var payload = Encode(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["sub"] = $"user_{kid}_{i:D4}",
                ["scope"] = "openid profile email read:orders",
                ["client_id"] = "AbC123xYz",
                ["aud"] = Audience,
                ["iss"] = issuer,
                ["iat"] = now,
                ["exp"] = now + 3600,
            }));
            var input = header + "." + payload;
            return input + "." + B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        });
        File.WriteAllLines(file, lines);
    }

    private static async Task ApiAsync(int port, string issuer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Faable.AspNetCore.Internal.JwksKeyStore", LogLevel.Information);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = issuer;
            o.Audience = Audience;
            o.RequireHttpsMetadata = false;
        });

        var app = builder.Build();
        var refreshes = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Faable.AspNetCore.FaableAuthDefaults.MeterName && instrument.Name == "faable.auth.jwks_refreshes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? outcome = null, error = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
                else if (tag.Key == "error.type")
                {
                    error = tag.Value as string;
                }
            }

            lock (refreshes)
            {
                var key = error is null ? outcome ?? "?" : $"{outcome}:{error}";
                refreshes[key] = refreshes.GetValueOrDefault(key) + value;
            }
        });
        listener.Start();

        app.UseFaableAuth();
        app.MapGet("/hello", () => "hello").RequireScope("read:orders");
        app.MapGet("/ready", () => "ready");
        app.MapGet("/stats", () =>
        {
            lock (refreshes)
            {
                return string.Join(' ', refreshes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            }
        });
        await app.RunAsync();
    }

    private static string Stamp() => TimeProvider.System.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Encode(string json) => B64(Encoding.UTF8.GetBytes(json));

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
