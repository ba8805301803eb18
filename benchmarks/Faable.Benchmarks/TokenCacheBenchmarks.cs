using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Faable.AspNetCore.Internal;

namespace Faable.Benchmarks;

/// <summary>
/// The repeated-token path at several cache sizes: one lookup in the validated-token cache, the validator's whole
/// repeated-token path (<see cref="FaableTokenValidator.ValidateAsync"/>, metrics included), and that path with the
/// request's fresh principal. Each op presents another of <see cref="CachedTokens"/> distinct cached tokens, in a
/// random order, as a fresh copy (a request's token is a string just read from its header), so a large cache is
/// really walked across memory. The baseline is a plain <see cref="Dictionary{TKey, TValue}"/> lookup of the same
/// tokens with the same hash function and a full comparison: what any exact-text lookup pays for a cold entry.
/// </summary>
[MemoryDiagnoser]
public class TokenCacheBenchmarks
{
    internal static readonly int[] Sizes = [10, 1_000, 10_000, 100_000];

    private CacheOfSize _set = null!;

    /// <summary>Gets or sets how many distinct validated tokens the cache holds.</summary>
    [Params(10, 1_000, 10_000, 100_000)]
    public int CachedTokens { get; set; }

    [GlobalSetup]
    public void Setup() => _set = new CacheOfSize(new AuthBenchmarkTenant(), CachedTokens);

    [Benchmark(Baseline = true)]
    public bool DictionaryLookup() => _set.DictionaryLookup();

    [Benchmark]
    public bool CacheLookup() => _set.CacheLookup();

    [Benchmark]
    public async ValueTask<bool> RepeatedValidationAsync() => (await _set.Validate()).IsValid;

    [Benchmark]
    public bool RepeatedValidationWithPrincipal() => _set.ValidateWithPrincipal();

    /// <summary>
    /// Fills <paramref name="cache"/> with <paramref name="count"/> distinct tokens shaped like <paramref name="token"/>
    /// (same length, different signature segment), each with its own copy of the claim values the checklist reads into
    /// new strings (names it shares and the configured issuer and audience stay shared), as distinct real tokens would.
    /// </summary>
    internal static string[] Fill(ValidatedTokenCache cache, FaableTokenValidator validator, string token, int count)
    {
        var template = validator.ValidateUncachedAsync(token, CancellationToken.None).AsTask().GetAwaiter().GetResult().Token
            ?? throw new InvalidOperationException("The benchmark token does not validate.");
        var tokens = new string[count];
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            tokens[i] = Token(token, i);
            var claims = template.Claims.Select(c => new ClaimData(Copy(c.Type), ReferenceEquals(c.Value, template.Issuer) ? c.Value : Copy(c.Value), c.ValueType)).ToArray();
            cache.Add(tokens[i], new ValidatedToken(template.Key, template.Issuer, template.Expires, template.NotBefore, claims), now);
        }

        return tokens;

        // A string the checklist shares (a literal: known claim names, "true", the configured audience) stays shared.
        static string Copy(string value) => ReferenceEquals(string.IsInterned(value), value) ? value : new string(value);
    }

    /// <summary>The <paramref name="i"/>-th distinct token: <paramref name="template"/> with its last 8 characters replaced by <paramref name="i"/> in hex.</summary>
    internal static string Token(string template, int i) => string.Create(template.Length, (template, i), static (span, state) =>
    {
        state.template.AsSpan(0, span.Length - 8).CopyTo(span);
        state.i.TryFormat(span[^8..], out _, "x8", System.Globalization.CultureInfo.InvariantCulture);
    });

    /// <summary>A cache of one size, its validator, the same tokens in a plain dictionary, and a random presentation order.</summary>
    internal sealed class CacheOfSize
    {
        private readonly FaableTokenValidator _validator;
        private readonly ValidatedTokenCache _cache;
        private readonly JwksKeyStore _store;
        private readonly Dictionary<string, ValidatedToken> _dictionary;
        private readonly string[] _tokens;
        private readonly string _template;
        private readonly int[] _order;
        private int _next;

        public CacheOfSize(AuthBenchmarkTenant tenant, int size)
        {
            (_validator, _cache, _store) = tenant.CreateValidator(cacheSize: size);
            _template = tenant.Token;
            _tokens = Fill(_cache, _validator, tenant.Token, size);
            _dictionary = new Dictionary<string, ValidatedToken>(size, new XxHash3Comparer());
            foreach (var token in _tokens)
            {
                // A separate copy of each key, like the cache's own stored copy of the text.
                _cache.TryGet(token, TimeProvider.System.GetUtcNow(), _store.Current, out var entry);
                _dictionary.Add(new string(token), entry ?? throw new InvalidOperationException("The cache was not filled."));
            }

            _order = [.. Enumerable.Range(0, size)];
            new Random(size).Shuffle(_order);
            if (_cache.Count != size)
            {
                throw new InvalidOperationException("The cache was not filled.");
            }
        }

        public bool DictionaryLookup() => _dictionary.TryGetValue(Next(), out _);

        public bool CacheLookup() => _cache.TryGet(Next(), TimeProvider.System.GetUtcNow(), _store.Current, out _);

        public ValueTask<TokenCheck> Validate() => _validator.ValidateAsync(Next(), CancellationToken.None);

        /// <summary>What the scheme does per request with a cached token: validate, then a fresh principal.</summary>
        public bool ValidateWithPrincipal()
        {
            var check = Validate();
            var token = check.IsCompleted ? check.Result.Token : check.AsTask().GetAwaiter().GetResult().Token;
            return token is not null && new ClaimsPrincipal(token.CreateIdentity()).Identity!.IsAuthenticated;
        }

        // The presented token is made from the (hot) template and the entry's suffix, as a request's token is a string
        // just read from its header: only the cached entry it finds is cold, not the text presented.
        private string Next()
        {
            var token = Token(_template, _order[_next]);
            _next = _next + 1 == _order.Length ? 0 : _next + 1;
            return token;
        }
    }

    /// <summary>The cache's hash function (XXH3 of the UTF-16 text) with an ordinal comparison.</summary>
    private sealed class XxHash3Comparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj)
        {
            var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(obj.AsSpan()), 12345);
            return (int)hash ^ (int)(hash >> 32);
        }
    }
}
