using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// Every way of failing to obtain a usable key set, against a tenant served over real HTTP that is stopped, restarted,
/// truncated, slowed down or misconfigured: one kind of event (503 with Retry-After, counted by reason, logged once per
/// interval), never a 401 and never a 500.
/// </summary>
public sealed class KeyFaultTests
{
    private const int FailedWithKeys = 1003;
    private const int Unavailable = 1004;
    private const int FailedWithoutKeys = 1008;
    private const int Recovered = 1009;
    private const int Undecided = 1010;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Faults() => new()
    {
        { "stopped", "unreachable" },
        { "truncated", "body_incomplete" },
        { "server_error", "http_500" },
        { "html", "discovery_not_json" },
        { "garbage", "jwks_not_json" },
        { "not_a_key_set", "jwks_not_json" },
        { "no_usable_key", "jwks_no_usable_key" },
        { "too_large", "document_too_large" },
        { "too_large_chunked", "document_too_large" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Request_NoKeysAndFetchFails_Answers503CountsTheReasonAndLogsOnce(string fault, string reason)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await BreakAsync(tenant, fault);
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.AddLogging(b => b.AddFakeLogging()));
        var store = api.Services.GetRequiredService<JwksKeyStore>();
        await WaitForAsync(() => store.LastRefreshFailure is not null);
        using var refreshes = Refreshes(api);
        api.Time.Advance(JwksKeyStore.KeylessRetryInterval);

        for (var i = 0; i < 10; i++)
        {
            using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());
            var problem = await Problem.ReadAsync(response);
            Assert.Equal((503, "temporarily_unavailable", "keys_unavailable"), (problem.Status, problem.Error, problem.Reason));
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }

        Assert.Equal(reason, store.LastRefreshFailure);
        var failure = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal(("failure", reason), ((string?)failure.Tags["outcome"], (string?)failure.Tags["error.type"]));

        // Two fetches failed for the same reason within one cool-down: one warning, and it says no keys are in use.
        var logs = api.Services.GetFakeLogCollector().GetSnapshot();
        var warning = Assert.Single(logs, r => r.Id.Id == FailedWithoutKeys);
        Assert.Contains(reason, warning.Message, StringComparison.Ordinal);
        Assert.Contains("no keys were ever loaded", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, r => r.Id.Id == FailedWithKeys);
        Assert.DoesNotContain(logs, r => r.Message.Contains("stay in use", StringComparison.Ordinal));
        Assert.Single(logs, r => r.Id.Id == Unavailable);
    }

    [Fact]
    public async Task Request_NoKeysAndTenantHangs_FetchTimesOutCountedAsTimeout()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Hang;
        await using var api = await ApiHost.StartAsync(tenant);
        var store = api.Services.GetRequiredService<JwksKeyStore>();
        await WaitForAsync(() => tenant.DiscoveryFetches >= 1);

        var pending = api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());
        await Task.Delay(50, Ct);
        Assert.False(pending.IsCompleted);
        api.Time.Advance(TimeSpan.FromSeconds(5));

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal((503, "keys_unavailable"), ((int)response.StatusCode, (await Problem.ReadAsync(response)).Reason));
        Assert.Equal("timeout", store.LastRefreshFailure);
    }

    [Theory]
    [InlineData("stopped")]
    [InlineData("truncated")]
    [InlineData("server_error")]
    [InlineData("garbage")]
    [InlineData("too_large_chunked")]
    public async Task Request_KeysHeldAndFetchFailsForUnknownKid_Answers503NotA401AndSaysTheKeysStayInUse(string fault)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = false, s => s.AddLogging(b => b.AddFakeLogging()));
        using (var warm = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await BreakAsync(tenant, fault);
        api.Time.Advance(TimeSpan.FromSeconds(31));

        using var unknown = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create());
        var problem = await Problem.ReadAsync(unknown);
        Assert.Equal((503, "keys_unavailable"), (problem.Status, problem.Reason));
        Assert.Equal("30", unknown.Headers.GetValues("Retry-After").Single());

        using var known = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);

        var logs = api.Services.GetFakeLogCollector().GetSnapshot();
        var warning = Assert.Single(logs, r => r.Id.Id == FailedWithKeys);
        Assert.Contains("the 1 keys fetched 31 s ago stay in use", warning.Message, StringComparison.Ordinal);
        Assert.Single(logs, r => r.Id.Id == Undecided);
    }

    [Theory]
    [InlineData(TenantMode.LargeJwks)]
    [InlineData(TenantMode.LargeJwksChunked)]
    public async Task Request_KeyDocumentExactlyAtTheLimit_IsRead(TenantMode mode)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = mode;
        tenant.JwksSize = JwksKeyStore.MaxDocumentBytes;
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_TenantStreamsAKeyDocumentWithoutEnd_ReadingStopsAtTheLimitAnd503()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.EndlessJwks;
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.AddLogging(b => b.AddFakeLogging()));
        var store = api.Services.GetRequiredService<JwksKeyStore>();
        using var refreshes = Refreshes(api);

        // The API's clock is fake and never advances here: the fetch timeout cannot end this read, only the size limit.
        await WaitForAsync(() => store.LastRefreshFailure is not null);
        await WaitForAsync(() => tenant.EndlessAbandoned);
        api.Time.Advance(JwksKeyStore.KeylessRetryInterval);
        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        var problem = await Problem.ReadAsync(response);
        Assert.Equal((503, "temporarily_unavailable", "keys_unavailable"), (problem.Status, problem.Error, problem.Reason));
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("document_too_large", store.LastRefreshFailure);
        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => (string?)m.Tags["error.type"] == "document_too_large");
        Assert.Contains(api.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == FailedWithoutKeys && r.Message.Contains("document_too_large", StringComparison.Ordinal));

        // Two fetches, each closing the connection once past the limit: what the tenant could push is the limit plus
        // what the socket buffers hold, twice; without the limit it would be the gigabyte this tenant stops at.
        Assert.Equal(2, tenant.JwksFetches);
        Assert.InRange(tenant.EndlessBytesSent, JwksKeyStore.MaxDocumentBytes, 2 * (JwksKeyStore.MaxDocumentBytes + (16L * 1024 * 1024)));
    }

    [Fact]
    public async Task Refresh_BodyCutOffInTheBackground_LeavesNoUnobservedTaskException()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(nameof(JwksKeyStore), StringComparison.Ordinal))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception);
                }
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
            tenant.Mode = TenantMode.TruncatedJwks;
            await using (var api = await ApiHost.StartAsync(tenant))
            {
                var store = api.Services.GetRequiredService<JwksKeyStore>();

                // The prefetch at start-up is a fire-and-forget background fetch: nobody awaits it.
                await WaitForAsync(() => store.LastRefreshFailure is not null);
                Assert.Equal("body_incomplete", store.LastRefreshFailure);
                await Task.Delay(100, Ct);
            }

            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            lock (unobserved)
            {
                Assert.Empty(unobserved);
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
    }

    [Fact]
    public async Task Request_TenantStoppedThenBackWithRotatedKeys_503WhileDownThen200ThenA401OnlyAfterASuccessfulRefresh()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = false);
        using (var warm = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await tenant.StopAsync();
        api.Time.Advance(TimeSpan.FromSeconds(31));
        using (var down = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create()))
        {
            Assert.Equal((503, "keys_unavailable"), ((int)down.StatusCode, (await Problem.ReadAsync(down)).Reason));
        }

        using (var known = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }

        tenant.SetKeys(TestKey.Shared(1), TestKey.Shared(0));
        await tenant.RestartAsync();
        api.Time.Advance(TimeSpan.FromSeconds(30));
        using (var rotated = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        // The set fetched just now was fetched after this token was issued and does not publish its key.
        using var absent = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(2)).Create());
        Assert.Equal((401, "unknown_key"), ((int)absent.StatusCode, (await Problem.ReadAsync(absent)).Reason));
    }

    [Fact]
    public async Task Request_ApiStartedBeforeTheTenant_First200WithinTwoSecondsOfTheTenantAnswering()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await tenant.StopAsync();
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.AddLogging(b => b.AddFakeLogging()), realTime: true);
        using var refreshes = Refreshes(api);
        var tokens = api.Tokens(TestKey.Shared(0));
        var clock = Stopwatch.StartNew();
        TimeSpan? answering = null;
        TimeSpan? first200 = null;
        var statuses = new List<int>();

        var restart = Task.Run(
            async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), Ct);
                await tenant.RestartAsync();
                answering = clock.Elapsed;
            },
            Ct);

        while (first200 is null && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var response = await api.GetAsync("/orders", tokens.Create());
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                first200 = clock.Elapsed;
            }
            else
            {
                await Task.Delay(50, Ct);
            }
        }

        await restart;
        Assert.NotNull(first200);
        Assert.True(first200 - answering <= TimeSpan.FromSeconds(2), $"first 200 {(first200 - answering)!.Value.TotalMilliseconds:F0} ms after the tenant answered");
        Assert.All(statuses[..^1], s => Assert.Equal(503, s));

        // About one fetch per second while keyless, although a request arrived every 50 ms.
        var failures = refreshes.GetMeasurementSnapshot().Count(m => (string?)m.Tags["outcome"] == "failure");
        Assert.InRange(failures, 1, (int)Math.Ceiling(answering!.Value.TotalSeconds) + 1);
        Assert.Single(api.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == Recovered);
    }

    [Fact]
    public async Task Request_KidFloodWhileKeyless_AtMostOneFetchPerKeylessInterval()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.ServerError;
        await using var api = await ApiHost.StartAsync(tenant);
        var store = api.Services.GetRequiredService<JwksKeyStore>();
        await WaitForAsync(() => store.LastRefreshFailure is not null);
        var tokens = api.Tokens(TestKey.Shared(0));
        Assert.Equal(1, tenant.DiscoveryFetches);

        Assert.All(await FloodAsync(api, tokens, 60), s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(1, tenant.DiscoveryFetches);

        api.Time.Advance(JwksKeyStore.KeylessRetryInterval);
        Assert.All(await FloodAsync(api, tokens, 60), s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(2, tenant.DiscoveryFetches);

        api.Time.Advance(JwksKeyStore.KeylessRetryInterval / 2);
        Assert.All(await FloodAsync(api, tokens, 60), s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(2, tenant.DiscoveryFetches);
    }

    private static async Task BreakAsync(FakeTenant tenant, string fault)
    {
        switch (fault)
        {
            case "stopped":
                await tenant.StopAsync();
                break;
            case "truncated":
                tenant.Mode = TenantMode.TruncatedJwks;
                break;
            case "server_error":
                tenant.Mode = TenantMode.ServerError;
                break;
            case "html":
                tenant.Mode = TenantMode.Html;
                break;
            case "garbage":
                tenant.Mode = TenantMode.Garbage;
                break;
            case "not_a_key_set":
                tenant.Mode = TenantMode.NotAKeySet;
                break;
            case "no_usable_key":
                tenant.SetJwks(TestKey.Shared(0).ToJwk(j => j["use"] = "enc"));
                break;
            case "too_large":
                tenant.Mode = TenantMode.LargeJwks;
                tenant.JwksSize = JwksKeyStore.MaxDocumentBytes + 1;
                break;
            case "too_large_chunked":
                tenant.Mode = TenantMode.LargeJwksChunked;
                tenant.JwksSize = JwksKeyStore.MaxDocumentBytes + 1;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private static MetricCollector<long> Refreshes(ApiHost api) =>
        new(api.Services.GetRequiredService<IMeterFactory>(), FaableAuthDefaults.MeterName, "faable.auth.jwks_refreshes");

    private static async Task<HttpStatusCode[]> FloodAsync(ApiHost api, TokenFactory tokens, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var token = tokens.Create(header: h => h["kid"] = Guid.NewGuid().ToString("N"));
            using var response = await api.GetAsync("/orders", token);
            return response.StatusCode;
        }));

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }
}
