using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Tests;

/// <summary>The validated-token cache: each rule has a test that fails without it.</summary>
public sealed class ValidatedTokenCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(FakeTenant Tenant, ApiHost Api, MetricCollector<long> Lookups)> StartAsync(Action<FaableAuthOptions>? configure = null, params TestKey[] keys)
    {
        var tenant = await FakeTenant.StartAsync(keys.Length == 0 ? [TestKey.Shared(0)] : keys);
        var api = await ApiHost.StartAsync(tenant, configure);
        var lookups = new MetricCollector<long>(api.Services.GetRequiredService<IMeterFactory>(), FaableAuthDefaults.MeterName, "faable.auth.token_cache_lookups");
        return (tenant, api, lookups);
    }

    private static int Hits(MetricCollector<long> lookups) => lookups.GetMeasurementSnapshot().Count(m => (string?)m.Tags["result"] == "hit");

    [Fact]
    public async Task RepeatedToken_SecondRequest_IsACacheHit()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            using var first = await api.GetAsync("/orders", token);
            using var second = await api.GetAsync("/orders", token);

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
            Assert.Equal(1, Hits(lookups));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RepeatedToken_WithOrWithoutASpanListener_EachValidationCountedOnce(bool listening)
    {
        // Without a listener a remembered token is answered synchronously; with one, every validation is a span.
        using var listener = listening ? Listen() : null;
        var spans = 0;
        if (listener is not null)
        {
            listener.ActivityStopped = a => Interlocked.Add(ref spans, a.OperationName == "faable.auth.validate_token" ? 1 : 0);
        }

        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        using (var validations = new MetricCollector<long>(api.Services.GetRequiredService<IMeterFactory>(), FaableAuthDefaults.MeterName, "faable.auth.token_validations"))
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            for (var i = 0; i < 3; i++)
            {
                using var response = await api.GetAsync("/orders", token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(3, validations.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == "success"));
            Assert.Equal(2, Hits(lookups));
            Assert.Single(lookups.GetMeasurementSnapshot(), m => (string?)m.Tags["result"] == "miss");
            if (listening)
            {
                Assert.True(Volatile.Read(ref spans) >= 3);
            }
        }

        static ActivityListener Listen()
        {
            var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == Faable.AspNetCore.Diagnostics.Internal.FaableAuthActivities.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            };
            ActivitySource.AddActivityListener(listener);
            return listener;
        }
    }

    [Fact]
    public async Task CachedToken_ExpiresWhileCached_IsRejected()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var tokens = api.Tokens(TestKey.Shared(0));
            var token = tokens.Create(c => c["exp"] = tokens.Now + 60);
            using (var fresh = await api.GetAsync("/orders", token))
            {
                Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            }

            api.Time.Advance(TimeSpan.FromSeconds(91));
            using var expired = await api.GetAsync("/orders", token);

            var problem = await Problem.ReadAsync(expired);
            Assert.Equal((401, "expired"), (problem.Status, problem.Reason));
            Assert.Equal(0, Hits(lookups));
        }
    }

    [Fact]
    public async Task CachedToken_WithinSkewAfterExp_IsStillAccepted()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var tokens = api.Tokens(TestKey.Shared(0));
            var token = tokens.Create(c => c["exp"] = tokens.Now + 60);
            using (await api.GetAsync("/orders", token))
            {
            }

            api.Time.Advance(TimeSpan.FromSeconds(80));
            using var response = await api.GetAsync("/orders", token);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, Hits(lookups));
        }
    }

    [Fact]
    public async Task CachedToken_OlderThanMaxLifetime_IsRevalidated()
    {
        var (tenant, api, lookups) = await StartAsync(o => o.TokenCacheMaxLifetime = TimeSpan.FromMinutes(1));
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            using (await api.GetAsync("/orders", token))
            {
            }

            api.Time.Advance(TimeSpan.FromMinutes(2));
            using var response = await api.GetAsync("/orders", token);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, Hits(lookups));
        }
    }

    [Fact]
    public async Task CachedToken_SigningKeyLeavesJwks_IsRejected()
    {
        var (tenant, api, lookups) = await StartAsync(null, TestKey.Shared(0), TestKey.Shared(1));
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(1)).Create();
            using (var cached = await api.GetAsync("/orders", token))
            {
                Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
            }

            tenant.SetKeys(TestKey.Shared(0));
            api.Time.Advance(TimeSpan.FromSeconds(31));
            using (await api.GetAsync("/orders", api.Tokens(TestKey.Shared(2)).Create()))
            {
            }

            using var removed = await api.GetAsync("/orders", token);
            var problem = await Problem.ReadAsync(removed);
            Assert.Equal((401, "unknown_key"), (problem.Status, problem.Reason));
        }
    }

    [Fact]
    public async Task CachedToken_RefreshWithUnchangedKey_StaysCached()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            using (await api.GetAsync("/orders", token))
            {
            }

            api.Time.Advance(TimeSpan.FromSeconds(31));
            var fetches = tenant.JwksFetches;
            using (await api.GetAsync("/orders", api.Tokens(TestKey.Shared(2)).Create()))
            {
            }

            using var response = await api.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(fetches + 1, tenant.JwksFetches);
            Assert.Equal(1, Hits(lookups));
        }
    }

    [Fact]
    public async Task FailedToken_IsNeverCached()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var tokens = api.Tokens(TestKey.Shared(0));
            var token = tokens.Create(c => c["nbf"] = tokens.Now + 120);
            using (var early = await api.GetAsync("/orders", token))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, early.StatusCode);
            }

            api.Time.Advance(TimeSpan.FromMinutes(2));
            using var later = await api.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }
    }

    [Fact]
    public async Task CachedToken_OtherSpelling_IsNotAHit()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            using (await api.GetAsync("/orders", token))
            {
            }

            using var padded = await api.GetAsync("/orders", token + "==");
            var problem = await Problem.ReadAsync(padded);
            Assert.Equal((401, "malformed"), (problem.Status, problem.Reason));
        }
    }

    [Fact]
    public async Task CachedToken_EachRequestGetsItsOwnPrincipal()
    {
        var (tenant, api, lookups) = await StartAsync();
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            for (var i = 0; i < 3; i++)
            {
                using var response = await api.GetAsync("/mutate", token);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
                Assert.Equal(0, body.RootElement.GetProperty("before").GetInt32());
            }

            Assert.Equal(2, Hits(lookups));
        }
    }

    [Fact]
    public async Task Cache_Disabled_NoLookups()
    {
        var (tenant, api, lookups) = await StartAsync(o => o.TokenCacheEnabled = false);
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var token = api.Tokens(TestKey.Shared(0)).Create();
            using (await api.GetAsync("/orders", token))
            using (await api.GetAsync("/orders", token))
            {
            }

            Assert.Empty(lookups.GetMeasurementSnapshot());
        }
    }

    [Fact]
    public void Cache_BoundReached_KeepsTheEntryUsedSinceItWasStored()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions { TokenCacheSize = 2 }));
        var (keys, token) = SampleEntry();
        var now = ApiHost.Start;

        cache.Add("a", token, now);
        cache.Add("b", token, now);
        Assert.True(cache.TryGet("a", now, keys, out _));
        cache.Add("c", token, now);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("a", now, keys, out _));
        Assert.False(cache.TryGet("b", now, keys, out _));
        Assert.True(cache.TryGet("c", now, keys, out _));
    }

    [Fact]
    public void Cache_BoundReached_EveryEntryUsed_StillDropsOneAndStaysWithinTheBound()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions { TokenCacheSize = 3 }));
        var (keys, token) = SampleEntry();
        var now = ApiHost.Start;
        string[] texts = ["a", "b", "c"];
        foreach (var text in texts)
        {
            cache.Add(text, token, now);
            Assert.True(cache.TryGet(text, now, keys, out _));
        }

        cache.Add("d", token, now);

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("d", now, keys, out _));
        Assert.Equal(2, texts.Count(t => cache.TryGet(t, now, keys, out _)));
    }

    [Fact]
    public void Cache_BoundReached_DropsAnExpiredEntryBeforeAUsedOne()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions { TokenCacheSize = 2, ClockSkew = TimeSpan.Zero }));
        var (keys, longLived) = SampleEntry();
        var now = ApiHost.Start;
        var shortLived = new ValidatedToken(longLived.Key, longLived.Issuer, now.AddMinutes(1), null, []);
        cache.Add("long", longLived, now);
        cache.Add("short", shortLived, now);
        Assert.True(cache.TryGet("short", now, keys, out _));
        Assert.True(cache.TryGet("long", now, keys, out _));

        var later = now.AddMinutes(2);
        cache.Add("new", longLived, later);

        Assert.True(cache.TryGet("long", later, keys, out _));
        Assert.True(cache.TryGet("new", later, keys, out _));
        Assert.False(cache.TryGet("short", later, keys, out _));
    }

    [Fact]
    public void Add_SameTextAgain_ReplacesItsEntry()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions()), new CollidingComparer());
        var (keys, first) = SampleEntry();
        var second = new ValidatedToken(first.Key, first.Issuer, first.Expires, null, [new ClaimData("sub", "user_2", "string")]);

        cache.Add("aaa.bbb.ccc", first, ApiHost.Start);
        cache.Add("aaa.bbb.ccd", first, ApiHost.Start);
        cache.Add("aaa.bbb.ccc", second, ApiHost.Start);

        Assert.Equal(2, cache.Count);
        Assert.True(cache.TryGet("aaa.bbb.ccc", ApiHost.Start, keys, out var found));
        Assert.Same(second, found);
    }

    [Fact]
    public void Cache_ManyEntriesAndEvictions_FindsEveryHeldEntryAndOnlyItsOwn()
    {
        // Growth, eviction and the moves of backward-shift deletion, with few distinct hashes so that probe sequences
        // are long and overlap: every held text must still be found, with its own result.
        const int Capacity = 300;
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions { TokenCacheSize = Capacity }), new FewHashesComparer());
        var (keys, template) = SampleEntry();
        var now = ApiHost.Start;
        var results = new Dictionary<string, ValidatedToken>();
        for (var i = 0; i < 3 * Capacity; i++)
        {
            var text = $"h.p.{i}";
            results[text] = new ValidatedToken(template.Key, template.Issuer, template.Expires, null, [new ClaimData("jti", text, "string")]);
            cache.Add(text, results[text], now);
            if (i % 3 == 0)
            {
                Assert.True(cache.TryGet(text, now, keys, out _));
            }
        }

        var held = 0;
        foreach (var (text, result) in results)
        {
            if (cache.TryGet(text, now, keys, out var found))
            {
                held++;
                Assert.Same(result, found);
            }
        }

        Assert.Equal(Capacity, cache.Count);
        Assert.Equal(Capacity, held);
    }

    [Fact]
    public async Task Lookup_WhileOtherThreadsStoreAndEvict_NeverReturnsAnotherTokensResult()
    {
        // Lookups take no lock: a lookup racing with stores, evictions and moves may miss, but a hit is always the
        // entry of exactly the presented text.
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions { TokenCacheSize = 64 }), new FewHashesComparer());
        var (keys, template) = SampleEntry();
        var now = ApiHost.Start;
        var texts = Enumerable.Range(0, 256).Select(i => $"h.p.{i}").ToArray();
        var results = texts.ToDictionary(t => t, t => new ValidatedToken(template.Key, template.Issuer, template.Expires, null, [new ClaimData("jti", t, "string")]));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var wrong = 0;
        var hits = 0;
        var writer = Task.Run(
            () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var text = texts[(i * 7) % texts.Length];
                    cache.Add(text, results[text], now);
                }
            },
            Ct);
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(
            () =>
            {
                for (var i = r; !stop.IsCancellationRequested; i++)
                {
                    var text = texts[(i * 13) % texts.Length];
                    if (cache.TryGet(text, now, keys, out var found))
                    {
                        Interlocked.Increment(ref hits);
                        if (!ReferenceEquals(found, results[text]))
                        {
                            Interlocked.Increment(ref wrong);
                        }
                    }
                }
            },
            Ct)).ToArray();
        await Task.WhenAll([writer, .. readers]);

        Assert.Equal(0, wrong);
        Assert.True(hits > 0);
        Assert.Equal(64, cache.Count);
    }

    [Fact]
    public void Lookup_EveryTokenHashesAlike_ReturnsOnlyTheEntryOfTheSameText()
    {
        // Every token lands in one bucket: only the full comparison of the stored text separates them.
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions()), new CollidingComparer());
        var (keys, first) = SampleEntry();
        var second = new ValidatedToken(first.Key, first.Issuer, first.Expires, null, [new ClaimData("sub", "user_2", "string")]);
        var now = ApiHost.Start;

        cache.Add("aaa.bbb.ccc", first, now);
        cache.Add("aaa.bbb.ccd", second, now);

        Assert.True(cache.TryGet("aaa.bbb.ccc", now, keys, out var a));
        Assert.Same(first, a);
        Assert.True(cache.TryGet("aaa.bbb.ccd", now, keys, out var b));
        Assert.Same(second, b);
        Assert.False(cache.TryGet("aaa.bbb.cce", now, keys, out _));
        Assert.False(cache.TryGet("aaa.bbb.cc", now, keys, out _));
        Assert.False(cache.TryGet("aaa.bbb.cccc", now, keys, out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Lookup_TextThatDiffersOnlyInCase_IsNotAHit()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions()), new CollidingComparer());
        var (keys, token) = SampleEntry();
        cache.Add("abc.def.ghi", token, ApiHost.Start);

        Assert.False(cache.TryGet("ABC.def.ghi", ApiHost.Start, keys, out _));
    }

    [Fact]
    public void Add_NonAsciiText_IsNotRemembered()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions()));
        var (keys, token) = SampleEntry();

        cache.Add("abc.d\u00e9f.ghi", token, ApiHost.Start);

        Assert.Equal(0, cache.Count);
        Assert.False(cache.TryGet("abc.d\u00e9f.ghi", ApiHost.Start, keys, out _));
    }

    [Fact]
    public void Lookup_RepeatedToken_AllocatesNothing()
    {
        var cache = new ValidatedTokenCache(Options.Create(new FaableAuthOptions()));
        var (keys, token) = SampleEntry();
        var text = new string('x', 800) + ".y.z";
        cache.Add(text, token, ApiHost.Start);
        cache.Add("other.token.text", token, ApiHost.Start);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(cache.TryGet(i % 2 == 0 ? text : "other.token.text", ApiHost.Start, keys, out _));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hits = 0;
        for (var i = 0; i < 1000; i++)
        {
            hits += cache.TryGet(i % 2 == 0 ? text : "other.token.text", ApiHost.Start, keys, out _) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, hits);
        Assert.Equal(0, allocated);
    }

    private static (SigningKeySet Keys, ValidatedToken Token) SampleEntry()
    {
        var key = JwksParser.Parse(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { keys = new[] { TestKey.Shared(0).ToJwk() } })), [])!.Values.Single();
        var keys = JwksParser.ToSet(new() { [key.Kid] = key }, ApiHost.Start);
        return (keys, new ValidatedToken(key, "https://acme.auth.faable.link", ApiHost.Start.AddHours(1), null, []));
    }

    private sealed class CollidingComparer() : ValidatedTokenCache.TokenKeyComparer(0)
    {
        public override int Hash(ReadOnlySpan<char> text) => 42;
    }

    /// <summary>Eight hash values in all, spread over the table: long, overlapping probe sequences.</summary>
    private sealed class FewHashesComparer() : ValidatedTokenCache.TokenKeyComparer(0)
    {
        public override int Hash(ReadOnlySpan<char> text) => (base.Hash(text) & 7) * 0x1357;
    }

    [Fact]
    public async Task Cache_ManyValidTokens_StaysWithinTheBound()
    {
        var (tenant, api, lookups) = await StartAsync(o => o.TokenCacheSize = 5);
        await using (tenant)
        await using (api)
        using (lookups)
        {
            var tokens = api.Tokens(TestKey.Shared(0));
            for (var i = 0; i < 20; i++)
            {
                using var response = await api.GetAsync("/orders", tokens.Create(c => c["jti"] = i));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(5, api.Services.GetRequiredService<ValidatedTokenCache>().Count);
        }
    }
}
