using System.Diagnostics.Metrics;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.AspNetCore.Tests;

/// <summary>RFC 6750 challenges, RFC 9457 bodies, error details, logs and metrics.</summary>
public sealed class AnswerTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task MissingToken_ChallengeHasNoErrorCode()
    {
        using var response = await fixture.Api.GetAsync("/orders", null);
        var problem = await Problem.ReadAsync(response);

        Assert.Equal("Bearer", problem.Challenge);
        Assert.Equal("application/problem+json", problem.ContentType);
        Assert.Equal(401, problem.Body!.Value.GetProperty("status").GetInt32());
        Assert.Equal("missing_token", problem.Error);
    }

    [Fact]
    public async Task InvalidToken_ChallengeCarriesErrorAndDescription()
    {
        var token = fixture.Tokens.Create(c => c["exp"] = fixture.Tokens.Now - 3600);
        using var response = await fixture.Api.GetAsync("/orders", token);
        var problem = await Problem.ReadAsync(response);

        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\"", problem.Challenge);
        Assert.Equal("expired", problem.Reason);
        Assert.Equal("The token has expired.", problem.Body!.Value.GetProperty("title").GetString());
        Assert.Equal("urn:faable:problem:expired", problem.Body!.Value.GetProperty("type").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task InvalidToken_Production_HidesExpectedAndActualValues()
    {
        var token = fixture.Tokens.Create(c => c["aud"] = "https://billing.example.com");
        using var response = await fixture.Api.GetAsync("/orders", token);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("billing", body, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiHost.Audience, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidToken_Development_NamesExpectedAndActualAudience()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, environment: "Development");
        var token = api.Tokens(TestKey.Shared(0)).Create(c => c["aud"] = "https://billing.example.com");

        using var response = await api.GetAsync("/orders", token);
        var problem = await Problem.ReadAsync(response);

        var detail = problem.Body!.Value.GetProperty("detail").GetString();
        Assert.Contains("'https://orders.example.com'", detail, StringComparison.Ordinal);
        Assert.Contains("'https://billing.example.com'", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("billing", problem.Challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_NeverEchoTheToken()
    {
        var token = fixture.Tokens.Create(c => c["iss"] = "https://evil.example");
        using var response = await fixture.Api.GetAsync("/orders", token);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var headers = response.Headers.ToString();

        foreach (var segment in token.Split('.'))
        {
            Assert.DoesNotContain(segment, body, StringComparison.Ordinal);
            Assert.DoesNotContain(segment, headers, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Catalog_ReasonsAreUniqueAndDescriptionsAreHeaderSafe()
    {
        Assert.Equal(AuthErrors.All.Count, AuthErrors.All.Select(e => e.Reason).Distinct().Count());
        foreach (var error in AuthErrors.All)
        {
            Assert.All(error.Description, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"{error.Reason}: '{c}'"));
            Assert.Contains(error.Status, new[] { 400, 401, 403, 503 });
        }
    }

    [Fact]
    public void Challenge_ScopeParameter_DropsCharactersOutsideScopeTokens()
    {
        var header = AuthResponseWriter.BuildChallenge(AuthErrors.InsufficientScope, ["read:orders", "a\"b"]);
        Assert.EndsWith("scope=\"read:orders a?b\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_NeverContainTheToken()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace)));
        var tokens = api.Tokens(TestKey.Shared(0));
        var sent = new[]
        {
            tokens.Create(),
            tokens.Create(c => c["exp"] = tokens.Now - 600),
            tokens.Create(signer: TestKey.Shared(1)),
            tokens.Create(c => c["scope"] = "openid"),
        };
        foreach (var token in sent)
        {
            using var response = await api.GetAsync("/orders", token);
        }

        var records = api.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == 1001);
        foreach (var record in records)
        {
            var text = record.Message + record.Exception;
            foreach (var token in sent)
            {
                Assert.DoesNotContain(token.Split('.')[2], text, StringComparison.Ordinal);
                Assert.DoesNotContain(token.Split('.')[1], text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Metrics_CountValidationsByOutcomeAndErrorType()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var factory = api.Services.GetRequiredService<IMeterFactory>();
        using var validations = new MetricCollector<long>(factory, FaableAuthDefaults.MeterName, "faable.auth.token_validations");
        using var refreshes = new MetricCollector<long>(factory, FaableAuthDefaults.MeterName, "faable.auth.jwks_refreshes");
        var tokens = api.Tokens(TestKey.Shared(0));

        using (await api.GetAsync("/orders", tokens.Create()))
        using (await api.GetAsync("/orders", tokens.Create(c => c["exp"] = tokens.Now - 600)))
        using (await api.GetAsync("/orders", tokens.Create(c => c["iss"] = "https://evil.example")))
        {
        }

        var measurements = validations.GetMeasurementSnapshot();
        Assert.Single(measurements, m => (string?)m.Tags["outcome"] == "success");
        Assert.Single(measurements, m => (string?)m.Tags["outcome"] == "failure" && (string?)m.Tags["error.type"] == "expired");
        Assert.Single(measurements, m => (string?)m.Tags["outcome"] == "failure" && (string?)m.Tags["error.type"] == "wrong_issuer");

        tenant.Mode = TenantMode.Html;
        api.Time.Advance(TimeSpan.FromSeconds(31));
        using (await api.GetAsync("/orders", tokens.Create(signer: TestKey.Shared(1))))
        {
        }

        Assert.Contains(refreshes.GetMeasurementSnapshot(), m => (string?)m.Tags["outcome"] == "failure" && (string?)m.Tags["error.type"] == "discovery_not_json");
    }
}
