using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Faable.AspNetCore;
using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Faable.Benchmarks;

/// <summary>An RSA key, a Faable-shaped access token, and the package's validator wired to an in-memory JWKS.</summary>
internal sealed class AuthBenchmarkTenant : HttpMessageHandler
{
    public const string Issuer = "https://bench.auth.faable.link";
    public const string Audience = "https://orders.example.com";
    public const string Kid = "bench-key";

    private static readonly string[] Permissions = ["read:orders"];

    public AuthBenchmarkTenant()
    {
        Key = RSA.Create(2048);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        Token = CreateToken(now);
    }

    public RSA Key { get; }

    public string Token { get; }

    public string CreateToken(long now, string? jti = null)
    {
        var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = Kid });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sub"] = "user_66f1a2b3c4d5e6f7a8b9c0d1",
            ["scope"] = "openid profile email read:orders",
            ["permissions"] = Permissions,
            ["client_id"] = "AbC123xYz",
            ["account"] = "acc_6612ab34cd56ef7890ab12cd",
            ["aud"] = Audience,
            ["iss"] = Issuer,
            ["iat"] = now,
            ["exp"] = now + 86400,
            ["jti"] = jti,
        });
        var input = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
        return input + "." + B64(Key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public FaableTokenHandler CreateHandler(bool cache) => new(CreateValidator(cache ? 10_000 : 0).Validator);

    /// <summary>The package's validator, its cache (off when <paramref name="cacheSize"/> is 0) and its key store.</summary>
    public (FaableTokenValidator Validator, ValidatedTokenCache Cache, JwksKeyStore Store) CreateValidator(int cacheSize)
    {
        var options = Options.Create(new FaableAuthOptions
        {
            Domain = Issuer,
            Audience = Audience,
            BackchannelHttpHandler = this,
            TokenCacheEnabled = cacheSize > 0,
            TokenCacheSize = Math.Max(1, cacheSize),
        });
        var metrics = new FaableAuthMetrics(new NoMeterFactory());
        var store = new JwksKeyStore(options, TimeProvider.System, metrics, NullLogger<JwksKeyStore>.Instance, new NoHttpClientFactory());
        if (!store.TryRefreshAsync().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The in-memory JWKS did not load.");
        }

        var cache = new ValidatedTokenCache(options);
        return (new FaableTokenValidator(options, store, cache, TimeProvider.System, metrics, NullLogger<FaableTokenValidator>.Instance), cache, store);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var p = Key.ExportParameters(false);
        object body = request.RequestUri!.AbsolutePath.EndsWith("openid-configuration", StringComparison.Ordinal)
            ? new { issuer = Issuer, jwks_uri = Issuer + "/.well-known/jwks.json" }
            : new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = Kid, n = B64(p.Modulus!), e = B64(p.Exponent!) } } };
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") });
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private sealed class NoHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("The benchmark uses the in-memory handler.");
    }

    private sealed class NoMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
