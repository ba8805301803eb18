using System.Net;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.AspNetCore.Tests;

/// <summary>Discovery and JWKS served over real HTTP by a tenant that goes down, comes back, rotates keys and misbehaves.</summary>
public sealed class KeyManagementTests
{
    private static readonly TimeSpan PastCooldown = TimeSpan.FromSeconds(31);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_TenantDownAtStartThenUp_Answers503ThenOk()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Down;
        await using var api = await ApiHost.StartAsync(tenant);
        var token = api.Tokens(TestKey.Shared(0)).Create();

        using var down = await api.GetAsync("/orders", token);
        var problem = await Problem.ReadAsync(down);
        Assert.Equal(503, problem.Status);
        Assert.Equal("temporarily_unavailable", problem.Error);
        Assert.Equal("keys_unavailable", problem.Reason);
        Assert.True(int.Parse(down.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        tenant.Mode = TenantMode.Up;
        api.Time.Advance(PastCooldown);
        using var up = await api.GetAsync("/orders", token);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task Request_TenantDownWithoutKeys_RetryAfterIsTheKeylessInterval()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Down;
        await using var api = await ApiHost.StartAsync(tenant);
        await WaitForAsync(() => tenant.DiscoveryFetches >= 1);
        await WaitForAsync(() => api.Services.GetRequiredService<JwksKeyStore>().LastRefreshFailure is not null);
        api.Time.Advance(TimeSpan.FromMilliseconds(200));

        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(1, tenant.DiscoveryFetches);
    }

    [Fact]
    public async Task Request_UnknownKidIssuedAfterTheLastFetchWithinCooldown_Answers503WithTheRestOfTheCooldown()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        using (var warm = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var fetches = tenant.JwksFetches;
        tenant.SetKeys(TestKey.Shared(0), TestKey.Shared(1));
        api.Time.Advance(TimeSpan.FromSeconds(20));

        // Signed by a key the tenant published after our fetch; the refetch is held back by the cool-down.
        using var held = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create());
        var problem = await Problem.ReadAsync(held);
        Assert.Equal((503, "temporarily_unavailable", "keys_unavailable"), (problem.Status, problem.Error, problem.Reason));
        Assert.Equal("10", held.Headers.GetValues("Retry-After").Single());
        Assert.Equal(fetches, tenant.JwksFetches);

        api.Time.Advance(TimeSpan.FromSeconds(10));
        using var checkedNow = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create());
        Assert.Equal(HttpStatusCode.OK, checkedNow.StatusCode);
        Assert.Equal(fetches + 1, tenant.JwksFetches);
    }

    [Fact]
    public async Task Request_UnknownKidIssuedBeforeTheLastFetchWithinCooldown_Answers401WithoutFetch()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var issuedEarlier = api.Tokens(TestKey.Shared(1)).Create();
        await WaitForAsync(() => api.Services.GetRequiredService<JwksKeyStore>().Current is not null);
        api.Time.Advance(PastCooldown);
        using (var trigger = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(2)).Create()))
        {
            Assert.Equal((401, "unknown_key"), ((int)trigger.StatusCode, (await Problem.ReadAsync(trigger)).Reason));
        }

        var fetches = tenant.JwksFetches;
        api.Time.Advance(TimeSpan.FromSeconds(5));

        // A set fetched after this token was issued does not publish its key: the tenant said no.
        using var response = await api.GetAsync("/orders", issuedEarlier);
        var problem = await Problem.ReadAsync(response);
        Assert.Equal((401, "unknown_key"), (problem.Status, problem.Reason));
        Assert.Equal(fetches, tenant.JwksFetches);
    }

    [Fact]
    public async Task Request_UnknownKidWithinCooldown_IatInTheFutureIsNotTrustedAndCostsNoFetch()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var tokens = api.Tokens(TestKey.Shared(0));
        using (var warm = await api.GetAsync("/orders", tokens.Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var fetches = tenant.JwksFetches;
        api.Time.Advance(TimeSpan.FromSeconds(5));
        var statuses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var token = tokens.Create(c => c["iat"] = i % 2 == 0 ? 1e300 : tokens.Now + 3600, header: h => h["kid"] = Guid.NewGuid().ToString("N"));
            using var response = await api.GetAsync("/orders", token);
            return response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(fetches, tenant.JwksFetches);
    }

    [Fact]
    public async Task Request_TenantDown_WarnsOncePerCooldownNotPerRequest()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Down;
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.AddLogging(b => b.AddFakeLogging()));
        var token = api.Tokens(TestKey.Shared(0)).Create();

        for (var i = 0; i < 20; i++)
        {
            using var response = await api.GetAsync("/orders", token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Assert.Single(api.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1004);
    }

    [Fact]
    public async Task Start_TenantDown_DoesNotFailStartup()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Down;

        await using var api = await ApiHost.StartAsync(tenant);

        using var open = await api.GetAsync("/open", null);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task Start_PrefetchesKeysBeforeTheFirstRequest()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);

        var store = api.Services.GetRequiredService<JwksKeyStore>();
        await WaitForAsync(() => store.Current is not null);
        Assert.Equal(1, tenant.JwksFetches);
    }

    [Fact]
    public async Task Request_TenantDownAfterWarmStart_ServesLastKnownGoodKeysAndAnswers503ForUnknownKid()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = false);
        var tokens = api.Tokens(TestKey.Shared(0));
        using (var warm = await api.GetAsync("/orders", tokens.Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        tenant.Mode = TenantMode.Down;
        api.Time.Advance(TimeSpan.FromHours(2));

        using var cached = await api.GetAsync("/orders", tokens.Create());
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);

        // The tenant may have rotated just before the outage: a key we cannot look up is not a bad token.
        using var unknown = await api.GetAsync("/orders", tokens.Create(signer: TestKey.Shared(1)));
        var problem = await Problem.ReadAsync(unknown);
        Assert.Equal((503, "keys_unavailable"), (problem.Status, problem.Reason));
        Assert.True(unknown.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Request_KeysOlderThanMaxKeyAgeAndTenantDown_Answers503()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.MaxKeyAge = TimeSpan.FromHours(3));
        var tokens = api.Tokens(TestKey.Shared(0));
        using (var warm = await api.GetAsync("/orders", tokens.Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        tenant.Mode = TenantMode.Down;
        api.Time.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1));

        using var response = await api.GetAsync("/orders", tokens.Create());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Request_KeyRotated_NewKidAcceptedOnFirstRequest()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        using (var warm = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        tenant.SetKeys(TestKey.Shared(0), TestKey.Shared(1));
        api.Time.Advance(PastCooldown);
        var before = tenant.JwksFetches;

        using var rotated = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create());

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(before + 1, tenant.JwksFetches);
    }

    [Fact]
    public async Task Request_KeyRemovedFromJwks_IsRejectedAfterRefresh()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0), TestKey.Shared(1));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = false);
        using (var warm = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        tenant.SetKeys(TestKey.Shared(0));
        api.Time.Advance(PastCooldown);
        using (var trigger = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(2)).Create()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, trigger.StatusCode);
        }

        using var removed = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create());
        var problem = await Problem.ReadAsync(removed);
        Assert.Equal((401, "unknown_key"), (problem.Status, problem.Reason));
    }

    [Fact]
    public async Task Request_KidFlood_AtMostOneJwksFetchPerCooldown()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var tokens = api.Tokens(TestKey.Shared(0));
        using (var warm = await api.GetAsync("/orders", tokens.Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        api.Time.Advance(PastCooldown);
        var before = tenant.JwksFetches;
        var statuses = await FloodAsync(api, tokens, 60);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(before + 1, tenant.JwksFetches);

        var again = await FloodAsync(api, tokens, 60);
        Assert.All(again, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(before + 1, tenant.JwksFetches);

        api.Time.Advance(PastCooldown);
        await FloodAsync(api, tokens, 60);
        Assert.Equal(before + 2, tenant.JwksFetches);
    }

    [Theory]
    [InlineData("HS256", false, true)]
    [InlineData("none", false, true)]
    [InlineData("RS256", true, true)]
    [InlineData("RS256", false, false)]
    public async Task Request_HeaderRejected_NoKeyLookupAndNoFetch(string alg, bool crit, bool kid)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var tokens = api.Tokens(TestKey.Shared(0));
        using (var warm = await api.GetAsync("/orders", tokens.Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        api.Time.Advance(PastCooldown);
        var before = tenant.JwksFetches;
        using var response = await api.GetAsync("/orders", tokens.Create(header: h =>
        {
            h["alg"] = alg;
            h["kid"] = kid ? Guid.NewGuid().ToString("N") : null;
            if (!kid)
            {
                h.Remove("kid");
            }

            if (crit)
            {
                h["crit"] = new[] { "x" };
            }
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, tenant.JwksFetches);
    }

    [Theory]
    [InlineData(TenantMode.Html)]
    [InlineData(TenantMode.Garbage)]
    [InlineData(TenantMode.ServerError)]
    [InlineData(TenantMode.Down)]
    public async Task Request_TenantMisbehavesAtStart_Answers503NeverOther(TenantMode mode)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = mode;
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        var problem = await Problem.ReadAsync(response);
        Assert.Equal((503, "keys_unavailable"), (problem.Status, problem.Reason));
    }

    [Theory]
    [InlineData(TenantMode.Html)]
    [InlineData(TenantMode.Garbage)]
    [InlineData(TenantMode.ServerError)]
    public async Task Request_TenantMisbehavesAfterWarmStart_KeepsServingKnownKeys(TenantMode mode)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = false);
        var tokens = api.Tokens(TestKey.Shared(0));
        using (var warm = await api.GetAsync("/orders", tokens.Create()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        tenant.Mode = mode;
        api.Time.Advance(PastCooldown);
        using (var unknown = await api.GetAsync("/orders", tokens.Create(signer: TestKey.Shared(1))))
        {
            var problem = await Problem.ReadAsync(unknown);
            Assert.Equal((503, "keys_unavailable"), (problem.Status, problem.Reason));
        }

        using var known = await api.GetAsync("/orders", tokens.Create());
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task Request_TenantHangs_FetchTimesOutAndAnswers503()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.Mode = TenantMode.Hang;
        await using var api = await ApiHost.StartAsync(tenant);
        await WaitForAsync(() => tenant.DiscoveryFetches >= 1);

        var pending = api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());
        await Task.Delay(50, Ct);
        Assert.False(pending.IsCompleted);
        api.Time.Advance(TimeSpan.FromSeconds(5));

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Request_DiscoveryAnnouncesAnotherIssuer_KeysAreNotTrusted()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        tenant.DiscoveryIssuer = tenant.Issuer + "/";
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, tenant.JwksFetches);
    }

    [Theory]
    [InlineData("use", "enc")]
    [InlineData("alg", "RS512")]
    [InlineData("key_ops", "encrypt")]
    [InlineData("kty", "oct")]
    public async Task Request_KeyPublishedForAnotherPurpose_IsNotUsed(string member, string value)
    {
        await using var tenant = await FakeTenant.StartAsync();
        tenant.SetJwks(
            TestKey.Shared(0).ToJwk(),
            TestKey.Shared(1).ToJwk(j => j[member] = member == "key_ops" ? new[] { value } : value));
        await using var api = await ApiHost.StartAsync(tenant);

        using var good = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());
        using var filtered = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(1)).Create());

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var problem = await Problem.ReadAsync(filtered);
        Assert.Equal((401, "unknown_key"), (problem.Status, problem.Reason));
    }

    [Fact]
    public async Task Request_JwksWithOnlyUnusableKeys_Answers503()
    {
        await using var tenant = await FakeTenant.StartAsync();
        tenant.SetJwks(TestKey.Shared(0).ToJwk(j => j["use"] = "enc"));
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static async Task<HttpStatusCode[]> FloodAsync(ApiHost api, TokenFactory tokens, int count)
    {
        var requests = Enumerable.Range(0, count).Select(async _ =>
        {
            var token = tokens.Create(header: h => h["kid"] = Guid.NewGuid().ToString("N"));
            using var response = await api.GetAsync("/orders", token);
            return response.StatusCode;
        });
        return await Task.WhenAll(requests);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }
}
