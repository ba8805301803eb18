using System.Net;
using System.Text.Json;
using Faable.AspNetCore;
using Faable.AspNetCore.Diagnostics;
using Faable.Integrations.Tests.Infrastructure;
using Faable.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Integrations.Tests;

public sealed class FaableTokenDoctorTests
{
    public static TheoryData<string> Cases =>
    [
        "valid", "expired", "not_yet_valid", "wrong_issuer", "trailing_slash_issuer", "wrong_audience", "userinfo_audience",
        "id_token", "unknown_key", "missing_kid", "unsigned", "tampered", "expired_and_wrong_issuer", "permissions_array",
    ];

    internal static string Build(FaableTestTenant tenant, string name, TimeProvider time) => name switch
    {
        "valid" => tenant.CreateUserAccessToken().WithScopes("read:orders").Build(),
        "expired" => tenant.CreateUserAccessToken().WithScopes("read:orders").Expired(TimeSpan.FromMinutes(10)).Build(),
        "not_yet_valid" => tenant.CreateUserAccessToken().WithScopes("read:orders").NotYetValid(TimeSpan.FromMinutes(10)).Build(),
        "wrong_issuer" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithWrongIssuer().Build(),
        "trailing_slash_issuer" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithTrailingSlashIssuer().Build(),
        "wrong_audience" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithWrongAudience().Build(),
        "userinfo_audience" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithUserInfoAudience().Build(),
        "id_token" => tenant.CreateIdToken().Build(),
        "unknown_key" => tenant.CreateUserAccessToken().WithScopes("read:orders").SignedWithUnknownKey().Build(),
        "missing_kid" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithoutKeyId().Build(),
        "unsigned" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithoutSignature().Build(),
        "tampered" => Tamper(tenant.CreateUserAccessToken().WithScopes("read:orders").Build()),
        "expired_and_wrong_issuer" => tenant.CreateUserAccessToken().WithScopes("read:orders").WithWrongIssuer().Expired(TimeSpan.FromHours(1)).Build(),
        "permissions_array" => tenant.CreateUserAccessToken().WithPermissions("read:orders", "write:orders").WithPermissionsFormat(FaablePermissionsFormat.JsonArray).Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Convert.FromBase64String(Pad(parts[1])))!;
        payload["scope"] = JsonSerializer.SerializeToElement("read:orders admin");
        parts[1] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return string.Join('.', parts);
    }

    private static string Pad(string segment)
    {
        var text = segment.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
    }

    private static Task<TestApi> StartAsync(string environment = "Production") =>
        TestApi.StartAsync(
            app =>
            {
                app.MapGet("/orders", () => "orders").RequireScope("read:orders");
                app.MapGet("/open", () => "open");
                app.MapFaableTokenDoctor();
            },
            environment: environment);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DiagnoseAsync_AnyToken_ReasonIsWhatTheApiAnswers(string name)
    {
        await using var api = await StartAsync();
        var token = Build(api.Tenant, name, api.Time);
        var ct = TestContext.Current.CancellationToken;

        var response = await api.Client.SendAsync(TestApi.Get("/orders", token), ct);
        var diagnosis = await api.Services.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, ct);

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var reason = body.RootElement.GetProperty("reason").GetString();
            Assert.False(diagnosis.IsValid);
            Assert.Equal(reason, diagnosis.Reason);

            // The explanation's first failed check names the same reason: explanation and verdict agree.
            Assert.Equal(reason, diagnosis.FirstFailure?.Reason);
        }
        else
        {
            Assert.True(diagnosis.IsValid, diagnosis.ToString());
            Assert.Null(diagnosis.FirstFailure);
        }

        Assert.DoesNotContain(token, diagnosis.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[^1] is { Length: > 10 } signature ? signature : "\u0000", diagnosis.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_SeveralProblems_ExplainsEveryOne()
    {
        await using var api = await StartAsync();
        var token = Build(api.Tenant, "expired_and_wrong_issuer", api.Time);

        var diagnosis = await api.Services.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(FaableTokenCheckStatus.Failed, diagnosis.Checks.Single(c => c.Name == "exp").Status);
        Assert.Equal(FaableTokenCheckStatus.Failed, diagnosis.Checks.Single(c => c.Name == "iss").Status);
        Assert.Equal(FaableTokenCheckStatus.Passed, diagnosis.Checks.Single(c => c.Name == "signature").Status);
        Assert.Equal(FaableTokenCheckStatus.Passed, diagnosis.Checks.Single(c => c.Name == "aud").Status);
        Assert.Equal("expired", diagnosis.Reason);
    }

    [Theory]
    [InlineData("trailing_slash_issuer", "iss", "ends with '/'")]
    [InlineData("userinfo_audience", "aud", "audience=https://orders.example.com")]
    [InlineData("id_token", "aud", "this may be an ID token")]
    [InlineData("expired", "exp", "ago (clock skew allowed: 30 s)")]
    [InlineData("not_yet_valid", "nbf", "check this machine's clock")]
    [InlineData("unsigned", "header.alg", "'none'")]
    [InlineData("unknown_key", "key", "is not in the tenant's JWKS")]
    [InlineData("tampered", "signature", "does not verify")]
    [InlineData("permissions_array", "permissions", "a JSON array granting read:orders write:orders")]
    public async Task DiagnoseAsync_CommonMistake_ExplainsTheFix(string name, string check, string hint)
    {
        await using var api = await StartAsync();
        var token = Build(api.Tenant, name, api.Time);

        var diagnosis = await api.Services.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, TestContext.Current.CancellationToken);

        Assert.Contains(hint, diagnosis.Checks.Single(c => c.Name == check).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_Garbage_ExplainsStructureWithoutThrowing()
    {
        await using var api = await StartAsync();
        var doctor = api.Services.GetRequiredService<FaableTokenDoctor>();
        var ct = TestContext.Current.CancellationToken;

        var garbage = await doctor.DiagnoseAsync("not-a-token", ct);
        var jwe = await doctor.DiagnoseAsync("eyJhbGciOiJSU0EtT0FFUCJ9.YWJj.YWJj.YWJj.YWJj", ct);
        var huge = await doctor.DiagnoseAsync(new string('a', 20_000), ct);

        Assert.Equal("malformed", garbage.Reason);
        Assert.Contains("1 segment(s)", garbage.Checks.Single(c => c.Name == "structure").Explanation, StringComparison.Ordinal);
        Assert.Equal("encrypted_token", jwe.Reason);
        Assert.Equal("token_too_large", huge.Reason);
    }

    [Fact]
    public async Task Diagnose_OfflineWithJwks_MatchesTheConfiguredTenant()
    {
        await using var api = await StartAsync();
        var options = new FaableAuthOptions { Domain = api.Tenant.Issuer, Audience = TestApi.Audience };
        var jwks = api.Tenant.GetJwks();

        var valid = FaableTokenDoctor.Diagnose(Build(api.Tenant, "valid", api.Time), options, jwks, api.Time);
        var unknown = FaableTokenDoctor.Diagnose(Build(api.Tenant, "unknown_key", api.Time), options, jwks, api.Time);
        var expired = FaableTokenDoctor.Diagnose(Build(api.Tenant, "expired", api.Time), options, jwks, api.Time);

        Assert.True(valid.IsValid, valid.ToString());
        Assert.Equal("unknown_key", unknown.Reason);
        Assert.Contains(api.Tenant.CurrentKeyId, unknown.Checks.Single(c => c.Name == "key").Explanation, StringComparison.Ordinal);
        Assert.Equal("expired", expired.Reason);
    }

    [Fact]
    public async Task Endpoint_Development_AnswersTheDiagnosisWithoutEchoingOrLoggingTheToken()
    {
        await using var api = await StartAsync("Development");
        var token = Build(api.Tenant, "wrong_audience", api.Time);
        var ct = TestContext.Current.CancellationToken;

        var response = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(token), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var json = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(JsonSerializer.Serialize(new { token }), System.Text.Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        Assert.False(body.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("wrong_audience", body.RootElement.GetProperty("reason").GetString());
        Assert.Contains(body.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "aud" && c.GetProperty("status").GetString() == "failed");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Logs.GetSnapshot(), r => r.Message.Contains(token.Split('.')[1], StringComparison.Ordinal) || r.Message.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Endpoint_EmptyBodyWithBearerHeader_ExaminesTheRequestToken()
    {
        await using var api = await StartAsync("Development");
        var request = new HttpRequestMessage(HttpMethod.Post, "/_faable/token-doctor")
        {
            Headers = { Authorization = new("Bearer", Build(api.Tenant, "valid", api.Time)) },
        };

        var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(body.RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Endpoint_NoToken_Is400()
    {
        await using var api = await StartAsync("Development");

        var response = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(string.Empty), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_Production_Is404()
    {
        await using var api = await StartAsync("Production");

        var response = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(Build(api.Tenant, "valid", api.Time)), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
