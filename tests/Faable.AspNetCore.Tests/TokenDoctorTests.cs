using System.Net;
using System.Text;
using System.Text.Json;
using Faable.AspNetCore.Diagnostics;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// The token doctor runs the validator's checklist: same verdict over the whole hostile suite, every problem listed,
/// and a clear verdict (never an exception, never a 500) for bytes that are not UTF-8.
/// </summary>
public sealed class TokenDoctorTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Unsigned garbage: a header or payload that is not UTF-8 (or holds an escaped lone surrogate).</summary>
    public static TheoryData<string, string> NotUtf8 => new()
    {
        { "header, raw 0xFF in kid", Segment("{\"alg\":\"RS256\",\"kid\":\"\u00FF\"}") + "." + Segment("{\"sub\":\"x\"}") + ".c2ln" },
        { "header, raw 0xC3 0x28 in a member name", Segment("{\"alg\":\"RS256\",\"\u00C3\u0028\":1}") + "." + Segment("{\"sub\":\"x\"}") + ".c2ln" },
        { "header, escaped lone surrogate in kid", Segment("{\"alg\":\"RS256\",\"kid\":\"\\ud800\"}") + "." + Segment("{\"sub\":\"x\"}") + ".c2ln" },
        { "payload, raw 0xFF in iss", Segment("{\"alg\":\"RS256\",\"kid\":\"key-0\"}") + "." + Segment("{\"iss\":\"\u00FF\",\"exp\":1}") + ".c2ln" },
        { "payload, overlong encoding in a member name", Segment("{\"alg\":\"RS256\",\"kid\":\"key-0\"}") + "." + Segment("{\"\u00C0\u00AF\":1}") + "." },
        { "payload, escaped lone surrogate in aud", Segment("{\"alg\":\"none\"}") + "." + Segment("{\"aud\":[\"\\udc00\"]}") + "." },
        { "both, truncated sequences", Segment("{\"alg\":\"\u00E2\u0082\"}") + "." + Segment("{\"scope\":\"\u00F0\u009F\"}") + ".c2ln" },
    };

    public static TheoryData<string> HostileCaseNames() => HostileTokenTests.CaseNames();

    [Theory]
    [MemberData(nameof(HostileCaseNames))]
    public async Task DiagnoseAsync_HostileSuite_VerdictEqualsTheValidatorAndTheApi(string name)
    {
        var @case = HostileTokenTests.Build(name, fixture.Tokens);
        if (@case.Authorization is not [{ } header] || !header.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            // Transport cases (no header, another scheme, two headers) never reach a token rule.
            Assert.NotEqual(1, @case.Authorization.Count(h => h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)));
            return;
        }

        var validator = fixture.Api.Services.GetRequiredService<FaableTokenValidator>();
        var doctor = fixture.Api.Services.GetRequiredService<FaableTokenDoctor>();
        var token = header.Length > 7 ? header[7..].Trim(' ') : string.Empty;

        var verdict = await validator.ValidateUncachedAsync(token, Ct);
        var diagnosis = await doctor.DiagnoseAsync(header, Ct);

        Assert.Equal(verdict.IsValid ? null : verdict.Error!.Reason, diagnosis.Reason);
        Assert.Equal(diagnosis.Reason, diagnosis.FirstFailure?.Reason);
        Assert.Equal(@case.Status is 401 or 503 ? @case.Reason : null, diagnosis.Reason);
    }

    [Fact]
    public async Task DiagnoseAsync_EveryProblemAtOnce_ListsEachFailedStepAndKeepsTheFirstAsVerdict()
    {
        var token = fixture.Tokens.Create(c =>
        {
            c["exp"] = fixture.Tokens.Now - 3600;
            c["nbf"] = "soon";
            c["iss"] = fixture.Tokens.Issuer + "/";
            c["aud"] = "https://billing.example.com";
        }, header: h => h["crit"] = new[] { "x" });

        var diagnosis = await fixture.Api.Services.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, Ct);

        var failed = diagnosis.Checks.Where(c => c.Status == FaableTokenCheckStatus.Failed).Select(c => (c.Name, c.Reason)).ToArray();
        Assert.Equal(
            [("header.crit", "unsupported_critical_header"), ("exp", "expired"), ("nbf", "invalid_time_claim"), ("iss", "wrong_issuer"), ("aud", "wrong_audience")],
            failed);
        Assert.Equal("unsupported_critical_header", diagnosis.Reason);
    }

    [Fact]
    public async Task DiagnoseAsync_ScopeShapes_GrantWhatAuthorizationGrants()
    {
        // A number and the strings of a mixed array are claims the scope check reads; objects are not.
        var token = fixture.Tokens.Create(c =>
        {
            c["scope"] = 42;
            c["permissions"] = new object[] { "read:orders", new Dictionary<string, string> { ["a"] = "admin" } };
        });

        var diagnosis = await fixture.Api.Services.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, Ct);

        Assert.Contains("grants 42", diagnosis.Checks.Single(c => c.Name == "scope").Explanation, StringComparison.Ordinal);
        Assert.Contains("grants read:orders.", diagnosis.Checks.Single(c => c.Name == "permissions").Explanation, StringComparison.Ordinal);
        using var response = await fixture.Api.GetAsync("/perm", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task DiagnoseAsync_NotUtf8_ClearVerdictInsteadOfAnException(string name, string token)
    {
        var diagnosis = await fixture.Api.Services.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, Ct);
        var offline = FaableTokenDoctor.Diagnose(token, new FaableAuthOptions { Domain = fixture.Tenant.Issuer, Audience = ApiHost.Audience }, JsonSerializer.Serialize(new { keys = new[] { fixture.Tokens.Key.ToJwk() } }), fixture.Api.Time);
        using var response = await fixture.Api.GetAsync("/orders", token);

        Assert.False(diagnosis.IsValid, name);
        Assert.NotNull(diagnosis.FirstFailure);
        Assert.Equal((await Problem.ReadAsync(response)).Reason, diagnosis.Reason);
        Assert.Equal(diagnosis.Reason, offline.Reason);
        Assert.Contains("Verdict: the token is rejected", diagnosis.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task Endpoint_NotUtf8Token_AnswersTheDiagnosisNever500(string name, string token)
    {
        await using var api = await ApiHost.StartAsync(fixture.Tenant, environment: "Development", map: app => app.MapFaableTokenDoctor());

        using var response = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(token), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.False(body.RootElement.GetProperty("valid").GetBoolean(), name);

        // The unreadable part is named: the header (structure) or the claims (payload), whatever the verdict.
        Assert.Contains(
            body.RootElement.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() is "structure" or "payload" && c.GetProperty("status").GetString() == "failed" && c.GetProperty("reason").GetString() == "malformed");
    }

    [Fact]
    public async Task Endpoint_BodyNotUtf8OrJsonWithLoneSurrogate_Never500()
    {
        await using var api = await ApiHost.StartAsync(fixture.Tenant, environment: "Development", map: app => app.MapFaableTokenDoctor());

        using var raw = await api.Client.PostAsync("/_faable/token-doctor", new ByteArrayContent([0x65, 0x79, 0xFF, 0xFE, 0x2E, 0xC3, 0x28]), Ct);
        using var json = await api.Client.PostAsync("/_faable/token-doctor", new StringContent("{\"token\":\"\\ud800.a.b\"}", Encoding.UTF8, "application/json"), Ct);
        using var jsonBytes = await api.Client.PostAsync("/_faable/token-doctor", new ByteArrayContent(Encoding.Latin1.GetBytes("{\"token\":\"\u00FF.a.b\"}")), Ct);

        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("malformed", JsonDocument.Parse(await raw.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, jsonBytes.StatusCode);
    }

    [Fact]
    public async Task Request_SignedPayloadNotUtf8_IsMalformedNotRejected()
    {
        // Before: the claim reader threw, and the catch-all answered 401 'rejected' without saying why.
        var payload = Encoding.UTF8.GetBytes(Jwt.Json(fixture.Tokens.Claims())[..^1] + ",\"name\":\"");
        var signed = Signed("{\"alg\":\"RS256\",\"kid\":\"key-0\"}"u8.ToArray(), [.. payload, 0xFF, (byte)'"', (byte)'}']);

        using var response = await fixture.Api.GetAsync("/orders", signed);

        var problem = await Problem.ReadAsync(response);
        Assert.Equal((401, "malformed"), (problem.Status, problem.Reason));
    }

    private string Signed(byte[] header, byte[] payload)
    {
        var input = TestKey.Base64Url(header) + "." + TestKey.Base64Url(payload);
        var signature = fixture.Tokens.Key.Rsa.SignData(Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        return input + "." + TestKey.Base64Url(signature);
    }

    /// <summary>Each character below U+0100 becomes one byte, so "\u00FF" is the byte 0xFF (invalid in UTF-8).</summary>
    private static string Segment(string latin1) => TestKey.Base64Url(Encoding.Latin1.GetBytes(latin1));
}
