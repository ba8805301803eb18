using BenchmarkDotNet.Attributes;
using Faable.AspNetCore;
using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Options;

namespace Faable.Benchmarks;

/// <summary>
/// The repeated-token path at several cache sizes: one lookup in the validated-token cache, and the validator's whole
/// repeated-token path (<see cref="FaableTokenValidator.ValidateAsync"/>, metrics included), each request presenting
/// a different one of <see cref="CachedTokens"/> distinct cached tokens in turn, so a large cache is really walked
/// across memory. The baseline is the SHA-256 of one token, what the cache key cost before it became a keyed XXH3.
/// </summary>
[MemoryDiagnoser]
public class TokenCacheBenchmarks
{
    private AuthBenchmarkTenant _tenant = null!;
    private FaableTokenValidator _validator = null!;
    private ValidatedTokenCache _cache = null!;
    private JwksKeyStore _store = null!;
    private string[] _tokens = [];
    private int _next;

    /// <summary>Gets or sets how many distinct validated tokens the cache holds.</summary>
    [Params(10, 1_000, 10_000, 100_000)]
    public int CachedTokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _tenant = new AuthBenchmarkTenant();
        (_validator, _cache, _store) = _tenant.CreateValidator(cacheSize: CachedTokens);
        _tokens = Fill(_cache, _validator, _tenant.Token, CachedTokens);
        if (_cache.Count != CachedTokens || !RepeatedValidationAsync().AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The cache was not filled.");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] Sha256OfOneToken() => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Next()));

    [Benchmark]
    public bool CacheLookup() => _cache.TryGet(Next(), TimeProvider.System.GetUtcNow(), _store.Current, out _);

    [Benchmark]
    public async ValueTask<bool> RepeatedValidationAsync() => (await _validator.ValidateAsync(Next(), CancellationToken.None)).IsValid;

    /// <summary>
    /// Fills <paramref name="cache"/> with <paramref name="count"/> distinct tokens shaped like <paramref name="token"/>
    /// (same length, different signature segment), each with its own copy of the validated token's claims, as
    /// distinct real tokens would have.
    /// </summary>
    internal static string[] Fill(ValidatedTokenCache cache, FaableTokenValidator validator, string token, int count)
    {
        var template = validator.ValidateUncachedAsync(token, CancellationToken.None).AsTask().GetAwaiter().GetResult().Token
            ?? throw new InvalidOperationException("The benchmark token does not validate.");
        var tokens = new string[count];
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            var suffix = i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
            tokens[i] = string.Concat(token.AsSpan(0, token.Length - suffix.Length), suffix);
            var claims = template.Claims.Select(c => new ClaimData(new string(c.Type), new string(c.Value), c.ValueType)).ToArray();
            cache.Add(tokens[i], new ValidatedToken(template.Key, template.Issuer, template.Expires, template.NotBefore, claims), now);
        }

        return tokens;
    }

    private string Next()
    {
        var token = _tokens[_next];
        _next = _next + 1 == _tokens.Length ? 0 : _next + 1;
        return token;
    }
}
