using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Faable.AspNetCore.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Benchmarks;

/// <summary>
/// A token seen for the first time: the package's token handler (what JwtBearer calls) against raw
/// <see cref="JsonWebTokenHandler"/> configured as strictly (RS256 only, exact issuer and audience, no claim mapping,
/// one key), both producing a <see cref="TokenValidationResult"/> whose identity is read. Every call presents the next
/// of <see cref="Tokens"/> distinct tokens, each signed on its own, so the package's cache (which holds fewer) misses,
/// validates, stores and evicts on every call, as it does for a new token; the row without cache is the checklist
/// alone. The RSA row is the signature verification both paths must do, the part neither can save.
/// </summary>
[MemoryDiagnoser]
public class FirstSeenBenchmarks
{
    /// <summary>How many distinct tokens are presented in turn; the cache holds a quarter of them.</summary>
    public const int Tokens = 256;

    private AuthBenchmarkTenant _tenant = null!;
    private FaableTokenHandler _cached = null!;
    private FaableTokenHandler _uncached = null!;
    private JsonWebTokenHandler _raw = null!;
    private TokenValidationParameters _parameters = null!;
    private string[] _tokens = [];
    private byte[][] _signingInputs = [];
    private byte[][] _signatures = [];
    private RSA _publicKey = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _tenant = new AuthBenchmarkTenant();
        _cached = new FaableTokenHandler(_tenant.CreateValidator(cacheSize: Tokens / 4).Validator);
        _uncached = new FaableTokenHandler(_tenant.CreateValidator(cacheSize: 0).Validator);
        _raw = new JsonWebTokenHandler { MapInboundClaims = false };
        _parameters = StrictParameters(_tenant);
        _publicKey = RSA.Create(_tenant.Key.ExportParameters(false));
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        _tokens = [.. Enumerable.Range(0, Tokens).Select(i => _tenant.CreateToken(now, "jti-" + i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)))];
        _signingInputs = [.. _tokens.Select(t => Encoding.ASCII.GetBytes(t[..t.LastIndexOf('.')]))];
        _signatures = [.. _tokens.Select(t => System.Buffers.Text.Base64Url.DecodeFromChars(t.AsSpan(t.LastIndexOf('.') + 1)))];
        for (var i = 0; i < Tokens; i++)
        {
            if (!RawJsonWebTokenHandlerAsync().GetAwaiter().GetResult() || !FaableFirstSeenAsync().GetAwaiter().GetResult() ||
                !FaableFirstSeenNoCacheAsync().GetAwaiter().GetResult() || !RsaVerificationOnly())
            {
                throw new InvalidOperationException("A benchmark token does not validate.");
            }
        }
    }

    /// <summary>Raw <see cref="JsonWebTokenHandler"/> as strictly configured as the package.</summary>
    internal static TokenValidationParameters StrictParameters(AuthBenchmarkTenant tenant) => new()
    {
        ValidIssuer = AuthBenchmarkTenant.Issuer,
        ValidAudience = AuthBenchmarkTenant.Audience,
        IssuerSigningKey = new RsaSecurityKey(tenant.Key.ExportParameters(false)) { KeyId = AuthBenchmarkTenant.Kid },
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        TryAllIssuerSigningKeys = false,
        IgnoreTrailingSlashWhenValidatingAudience = false,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    [Benchmark(Baseline = true)]
    public async Task<bool> RawJsonWebTokenHandlerAsync()
    {
        var result = await _raw.ValidateTokenAsync(Next(), _parameters);
        return result.IsValid && result.ClaimsIdentity.IsAuthenticated;
    }

    /// <summary>The token handler with the cache on (the default): lookup miss, checklist, store (evicting one), identity.</summary>
    [Benchmark]
    public async Task<bool> FaableFirstSeenAsync()
    {
        var result = await _cached.ValidateTokenAsync(Next(), _parameters);
        return result.IsValid && result.ClaimsIdentity.IsAuthenticated;
    }

    /// <summary>The token handler with the cache off: checklist and identity.</summary>
    [Benchmark]
    public async Task<bool> FaableFirstSeenNoCacheAsync()
    {
        var result = await _uncached.ValidateTokenAsync(Next(), _parameters);
        return result.IsValid && result.ClaimsIdentity.IsAuthenticated;
    }

    /// <summary>RSASSA-PKCS1-v1_5 SHA-256 verification of the same tokens' signatures: what both paths must pay.</summary>
    [Benchmark]
    public bool RsaVerificationOnly()
    {
        var i = _next;
        _next = _next + 1 == Tokens ? 0 : _next + 1;
        return _publicKey.VerifyData(_signingInputs[i], _signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private string Next()
    {
        var token = _tokens[_next];
        _next = _next + 1 == Tokens ? 0 : _next + 1;
        return token;
    }
}
