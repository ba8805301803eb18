using BenchmarkDotNet.Attributes;
using Faable.AspNetCore.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Benchmarks;

/// <summary>
/// The package's full validation path (the token handler JwtBearer calls, claims identity included) against raw
/// <see cref="JsonWebTokenHandler.ValidateTokenAsync(string, TokenValidationParameters)"/> on the same RS256 token:
/// first-seen (cache off) and repeated (cache on).
/// </summary>
[MemoryDiagnoser]
public class AuthValidationBenchmarks
{
    private AuthBenchmarkTenant _tenant = null!;
    private FaableTokenHandler _firstSeen = null!;
    private FaableTokenHandler _repeated = null!;
    private JsonWebTokenHandler _raw = null!;
    private TokenValidationParameters _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tenant = new AuthBenchmarkTenant();
        _firstSeen = _tenant.CreateHandler(cache: false);
        _repeated = _tenant.CreateHandler(cache: true);
        _raw = new JsonWebTokenHandler { MapInboundClaims = false };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = AuthBenchmarkTenant.Issuer,
            ValidAudience = AuthBenchmarkTenant.Audience,
            IssuerSigningKey = new RsaSecurityKey(_tenant.Key.ExportParameters(false)) { KeyId = AuthBenchmarkTenant.Kid },
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        if (!RawJsonWebTokenHandlerAsync().GetAwaiter().GetResult() || !FaableFirstSeenAsync().GetAwaiter().GetResult() || !FaableRepeatedAsync().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The benchmark token does not validate.");
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<bool> RawJsonWebTokenHandlerAsync()
    {
        var result = await _raw.ValidateTokenAsync(_tenant.Token, _parameters);
        return result.IsValid && result.ClaimsIdentity.IsAuthenticated;
    }

    [Benchmark]
    public async Task<bool> FaableFirstSeenAsync()
    {
        var result = await _firstSeen.ValidateTokenAsync(_tenant.Token, _parameters);
        return result.IsValid && result.ClaimsIdentity.IsAuthenticated;
    }

    [Benchmark]
    public async Task<bool> FaableRepeatedAsync()
    {
        var result = await _repeated.ValidateTokenAsync(_tenant.Token, _parameters);
        return result.IsValid && result.ClaimsIdentity.IsAuthenticated;
    }
}
