using System.Security.Cryptography;
using System.Text;
using Faable.AspNetCore.Tests.Infrastructure;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// Hostile and malformed tokens against a real API and a tenant served over HTTP: each case asserts the status,
/// the RFC 6750 error and the stable reason code.
/// </summary>
public sealed class HostileTokenTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{

    /// <summary>A request to send: path, Authorization header values (or none) and expected answer.</summary>
    internal sealed record Case(string Path, string[] Authorization, int Status, string? Error, string? Reason);

    private static readonly Dictionary<string, Func<TokenFactory, Case>> Cases = new()
    {
        // Transport of the token
        ["no Authorization header"] = t => new("/orders", [], 401, "missing_token", "missing_token"),
        ["Basic scheme"] = t => new("/orders", ["Basic dXNlcjpwYXNz"], 401, "missing_token", "missing_token"),
        ["Bearer without token"] = t => new("/orders", ["Bearer"], 401, "invalid_token", "malformed"),
        ["Bearer with blanks only"] = t => new("/orders", ["Bearer    "], 401, "invalid_token", "malformed"),
        ["lowercase bearer accepted"] = t => new("/orders", ["bearer " + t.Create()], 200, null, null),
        ["uppercase BEARER accepted"] = t => new("/orders", ["BEARER " + t.Create()], 200, null, null),
        ["surrounding blanks trimmed"] = t => new("/orders", ["Bearer   " + t.Create() + "  "], 200, null, null),
        ["two Authorization headers"] = t => new("/orders", ["Bearer " + t.Create(), "Bearer " + t.Create()], 400, "invalid_request", "multiple_credentials"),
        ["two tokens in one header"] = t => new("/orders", ["Bearer " + t.Create() + ", Bearer " + t.Create()], 401, "invalid_token", "malformed"),
        ["token in query string ignored"] = t => new("/orders?access_token=" + t.Create(), [], 401, "missing_token", "missing_token"),

        // Algorithm
        ["alg none unsigned"] = t => new("/orders", [B(Jwt.Unsigned("{\"alg\":\"none\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims())))], 401, "invalid_token", "algorithm_not_allowed"),
        ["alg None unsigned"] = t => new("/orders", [B(Jwt.Unsigned("{\"alg\":\"None\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims())))], 401, "invalid_token", "algorithm_not_allowed"),
        ["alg NONE unsigned"] = t => new("/orders", [B(Jwt.Unsigned("{\"alg\":\"NONE\"}", Jwt.Json(t.Claims())))], 401, "invalid_token", "algorithm_not_allowed"),
        ["alg none with a real RS256 signature"] = t => new("/orders", [B(t.Create(header: h => h["alg"] = "none"))], 401, "invalid_token", "algorithm_not_allowed"),
        ["HS256 keyed with the public key PEM"] = t => new("/orders", [B(Hs256(t, Encoding.ASCII.GetBytes(t.Key.Rsa.ExportSubjectPublicKeyInfoPem())))], 401, "invalid_token", "algorithm_not_allowed"),
        ["HS256 keyed with the modulus"] = t => new("/orders", [B(Hs256(t, t.Key.Rsa.ExportParameters(false).Modulus!))], 401, "invalid_token", "algorithm_not_allowed"),
        ["RS384"] = t => new("/orders", [B(Other(t, "RS384", HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1))], 401, "invalid_token", "algorithm_not_allowed"),
        ["RS512"] = t => new("/orders", [B(Other(t, "RS512", HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1))], 401, "invalid_token", "algorithm_not_allowed"),
        ["PS256"] = t => new("/orders", [B(Other(t, "PS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pss))], 401, "invalid_token", "algorithm_not_allowed"),
        ["ES256 header"] = t => new("/orders", [B(t.Create(header: h => h["alg"] = "ES256"))], 401, "invalid_token", "algorithm_not_allowed"),
        ["alg rs256 lowercase"] = t => new("/orders", [B(t.Create(header: h => h["alg"] = "rs256"))], 401, "invalid_token", "algorithm_not_allowed"),
        ["alg as a number"] = t => new("/orders", [B(t.Create(header: h => h["alg"] = 256))], 401, "invalid_token", "algorithm_not_allowed"),
        ["alg missing"] = t => new("/orders", [B(t.Create(header: h => h.Remove("alg")))], 401, "invalid_token", "malformed"),

        // Key selection
        ["kid missing"] = t => new("/orders", [B(t.Create(header: h => h.Remove("kid")))], 401, "invalid_token", "missing_key_id"),
        ["kid empty"] = t => new("/orders", [B(t.Create(header: h => h["kid"] = ""))], 401, "invalid_token", "missing_key_id"),
        ["kid as a number"] = t => new("/orders", [B(t.Create(header: h => h["kid"] = 0))], 401, "invalid_token", "missing_key_id"),
        ["kid unknown, signed by an unknown key"] = t => new("/orders", [B(t.Create(signer: TestKey.Shared(1)))], 401, "invalid_token", "unknown_key"),
        ["kid known, signed by another key"] = t => new("/orders", [B(t.Create(signer: TestKey.Shared(1).WithKid("key-0")))], 401, "invalid_token", "bad_signature"),
        ["kid path traversal"] = t => new("/orders", [B(t.Create(header: h => h["kid"] = "../../../../etc/passwd"))], 401, "invalid_token", "unknown_key"),
        ["kid SQL-ish"] = t => new("/orders", [B(t.Create(header: h => h["kid"] = "' OR 1=1 --"))], 401, "invalid_token", "unknown_key"),
        ["kid 2000 characters"] = t => new("/orders", [B(t.Create(header: h => h["kid"] = new string('k', 2000)))], 401, "invalid_token", "unknown_key"),
        ["embedded jwk of the attacker key"] = t => new("/orders", [B(t.Create(header: h => h["jwk"] = TestKey.Shared(1).ToJwk(), signer: TestKey.Shared(1).WithKid("attacker")))], 401, "invalid_token", "unknown_key"),
        ["embedded jwk with a known kid"] = t => new("/orders", [B(t.Create(header: h => h["jwk"] = TestKey.Shared(1).WithKid("key-0").ToJwk(), signer: TestKey.Shared(1).WithKid("key-0")))], 401, "invalid_token", "bad_signature"),
        ["jku header to the attacker"] = t => new("/orders", [B(t.Create(header: h => h["jku"] = "https://evil.example/jwks.json", signer: TestKey.Shared(1).WithKid("key-0")))], 401, "invalid_token", "bad_signature"),
        ["x5u header to the attacker"] = t => new("/orders", [B(t.Create(header: h => h["x5u"] = "https://evil.example/cert.pem", signer: TestKey.Shared(1).WithKid("key-0")))], 401, "invalid_token", "bad_signature"),
        ["jku header on a genuine token is ignored"] = t => new("/orders", [B(t.Create(header: h => h["jku"] = "https://evil.example/jwks.json"))], 200, null, null),

        // Critical headers
        ["crit with an unknown extension"] = t => new("/orders", [B(t.Create(header: h => { h["crit"] = new[] { "exp2" }; h["exp2"] = 1; }))], 401, "invalid_token", "unsupported_critical_header"),
        ["crit empty"] = t => new("/orders", [B(t.Create(header: h => h["crit"] = Array.Empty<string>()))], 401, "invalid_token", "unsupported_critical_header"),
        ["crit b64"] = t => new("/orders", [B(t.Create(header: h => { h["crit"] = new[] { "b64" }; h["b64"] = false; }))], 401, "invalid_token", "unsupported_critical_header"),

        // Time
        ["expired beyond the skew"] = t => new("/orders", [B(t.Create(c => c["exp"] = t.Now - 31))], 401, "invalid_token", "expired"),
        ["expired two minutes ago"] = t => new("/orders", [B(t.Create(c => c["exp"] = t.Now - 120))], 401, "invalid_token", "expired"),
        ["expired within the skew accepted"] = t => new("/orders", [B(t.Create(c => c["exp"] = t.Now - 20))], 200, null, null),
        ["nbf in the future"] = t => new("/orders", [B(t.Create(c => c["nbf"] = t.Now + 60))], 401, "invalid_token", "not_yet_valid"),
        ["nbf within the skew accepted"] = t => new("/orders", [B(t.Create(c => c["nbf"] = t.Now + 20))], 200, null, null),
        ["exp missing"] = t => new("/orders", [B(t.Create(c => c.Remove("exp")))], 401, "invalid_token", "missing_expiration"),
        ["exp as a string"] = t => new("/orders", [B(t.Create(c => c["exp"] = (t.Now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)))], 401, "invalid_token", "invalid_time_claim"),
        ["exp null"] = t => new("/orders", [B(t.Create(c => c["exp"] = null))], 401, "invalid_token", "invalid_time_claim"),
        ["exp boolean"] = t => new("/orders", [B(t.Create(c => c["exp"] = true))], 401, "invalid_token", "invalid_time_claim"),
        ["nbf as a string"] = t => new("/orders", [B(t.Create(c => c["nbf"] = "0"))], 401, "invalid_token", "invalid_time_claim"),
        ["exp 1e300 accepted"] = t => new("/orders", [B(t.Create(c => c["exp"] = 1e300))], 200, null, null),
        ["exp in milliseconds accepted"] = t => new("/orders", [B(t.Create(c => c["exp"] = (t.Now + 3600) * 1000))], 200, null, null),
        ["exp at the last second of year 9999 accepted"] = t => new("/orders", [B(t.Create(c => c["exp"] = 253402300799L))], 200, null, null),
        ["iat as a string"] = t => new("/orders", [B(t.Create(c => c["iat"] = "now"))], 401, "invalid_token", "invalid_time_claim"),

        // Issuer
        ["iss with a trailing slash"] = t => new("/orders", [B(t.Create(c => c["iss"] = t.Issuer + "/"))], 401, "invalid_token", "wrong_issuer"),
        ["iss in other case"] = t => new("/orders", [B(t.Create(c => c["iss"] = t.Issuer.ToUpperInvariant()))], 401, "invalid_token", "wrong_issuer"),
        ["iss missing"] = t => new("/orders", [B(t.Create(c => c.Remove("iss")))], 401, "invalid_token", "wrong_issuer"),
        ["iss another tenant"] = t => new("/orders", [B(t.Create(c => c["iss"] = "https://evil.auth.faable.link"))], 401, "invalid_token", "wrong_issuer"),
        ["iss as an array"] = t => new("/orders", [B(t.Create(c => c["iss"] = new[] { t.Issuer }))], 401, "invalid_token", "wrong_issuer"),

        // Audience
        ["aud is the userinfo audience"] = t => new("/orders", [B(t.Create(c => c["aud"] = t.Issuer + "/userinfo"))], 401, "invalid_token", "userinfo_audience"),
        ["aud array with ours and userinfo accepted"] = t => new("/orders", [B(t.Create(c => c["aud"] = new[] { t.Audience, t.Issuer + "/userinfo" }))], 200, null, null),
        ["aud array with another API and ours accepted"] = t => new("/orders", [B(t.Create(c => c["aud"] = new[] { "https://billing.example.com", t.Audience }))], 200, null, null),
        ["aud another API"] = t => new("/orders", [B(t.Create(c => c["aud"] = "https://billing.example.com"))], 401, "invalid_token", "wrong_audience"),
        ["aud with a trailing slash"] = t => new("/orders", [B(t.Create(c => c["aud"] = t.Audience + "/"))], 401, "invalid_token", "wrong_audience"),
        ["aud in other case"] = t => new("/orders", [B(t.Create(c => c["aud"] = t.Audience.ToUpperInvariant()))], 401, "invalid_token", "wrong_audience"),
        ["aud missing"] = t => new("/orders", [B(t.Create(c => c.Remove("aud")))], 401, "invalid_token", "wrong_audience"),
        ["aud empty array"] = t => new("/orders", [B(t.Create(c => c["aud"] = Array.Empty<string>()))], 401, "invalid_token", "wrong_audience"),
        ["aud array with a number"] = t => new("/orders", [B(t.Create(c => c["aud"] = new object[] { t.Audience, 1 }))], 401, "invalid_token", "wrong_audience"),
        ["aud is the issuer"] = t => new("/orders", [B(t.Create(c => c["aud"] = t.Issuer))], 401, "invalid_token", "wrong_audience"),

        // ID token sent instead of the access token
        ["ID token with nonce"] = t => new("/orders", [B(t.Create(c => { c["aud"] = "AbC123xYz"; c["nonce"] = "n-0S6_WzA2Mj"; c.Remove("scope"); }))], 401, "invalid_token", "id_token_sent"),
        ["ID token with azp"] = t => new("/orders", [B(t.Create(c => { c["aud"] = "AbC123xYz"; c["azp"] = "AbC123xYz"; c.Remove("client_id"); }))], 401, "invalid_token", "id_token_sent"),
        ["ID token, aud equals client_id"] = t => new("/orders", [B(t.Create(c => c["aud"] = "AbC123xYz"))], 401, "invalid_token", "id_token_sent"),
        ["at_hash on a token for this API"] = t => new("/orders", [B(t.Create(c => c["at_hash"] = "77QmUPtjPfzWtF2AnpK9RQ"))], 401, "invalid_token", "id_token_sent"),

        // Scopes and permissions
        ["scope read:orders2 does not grant read:orders"] = t => new("/orders", [B(t.Create(c => c["scope"] = "openid read:orders2"))], 403, "insufficient_scope", "insufficient_scope"),
        ["scope xread:orders does not grant read:orders"] = t => new("/orders", [B(t.Create(c => c["scope"] = "xread:orders"))], 403, "insufficient_scope", "insufficient_scope"),
        ["scope read:Orders (case) does not grant"] = t => new("/orders", [B(t.Create(c => c["scope"] = "read:Orders"))], 403, "insufficient_scope", "insufficient_scope"),
        ["scope read:orders,write:orders (comma) does not grant"] = t => new("/orders", [B(t.Create(c => c["scope"] = "read:orders,write:orders"))], 403, "insufficient_scope", "insufficient_scope"),
        ["scope as a JSON array"] = t => new("/orders", [B(t.Create(c => c["scope"] = new[] { "openid", "read:orders" }))], 200, null, null),
        ["permissions as a string"] = t => new("/perm", [B(t.Create(c => { c["scope"] = "openid"; c["permissions"] = "read:orders write:orders"; }))], 200, null, null),
        ["permissions as an array"] = t => new("/perm", [B(t.Create(c => { c["scope"] = "openid"; c["permissions"] = new[] { "read:orders" }; }))], 200, null, null),
        ["permissions array substring"] = t => new("/perm", [B(t.Create(c => c["permissions"] = new[] { "read:orders2" }))], 403, "insufficient_scope", "insufficient_permission"),
        ["permissions comma string"] = t => new("/perm", [B(t.Create(c => c["permissions"] = "read:orders,write:orders"))], 403, "insufficient_scope", "insufficient_permission"),
        ["scope does not satisfy a permission requirement"] = t => new("/perm", [B(t.Create(c => c["scope"] = "read:orders"))], 403, "insufficient_scope", "insufficient_permission"),
        ["permissions array merged into scopes"] = t => new("/orders", [B(t.Create(c => { c["scope"] = "openid"; c["permissions"] = new[] { "read:orders" }; }))], 200, null, null),

        // Structure and encoding
        ["header not base64url"] = t => new("/orders", ["Bearer !!!." + t.Create().Split('.')[1] + ".abc"], 401, "invalid_token", "malformed"),
        ["padding appended to the signature"] = t => new("/orders", [B(t.Create() + "==")], 401, "invalid_token", "malformed"),
        ["standard base64 characters in the payload"] = t => new("/orders", [B(Replace(t.Create(), 1, s => s + "+/"))], 401, "invalid_token", "malformed"),
        ["one segment"] = t => new("/orders", [B(t.Create().Split('.')[0])], 401, "invalid_token", "malformed"),
        ["two segments"] = t => new("/orders", [B(string.Join('.', t.Create().Split('.').Take(2)))], 401, "invalid_token", "malformed"),
        ["four segments"] = t => new("/orders", [B(t.Create() + ".AAAA")], 401, "invalid_token", "malformed"),
        ["five segments (JWE)"] = t => new("/orders", [B("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji.XFBoMYUZodetZdvTiFvSkQ")], 401, "invalid_token", "encrypted_token"),
        ["header not JSON"] = t => new("/orders", [B(t.CreateRaw("not json", Jwt.Json(t.Claims())))], 401, "invalid_token", "malformed"),
        ["header a JSON array"] = t => new("/orders", [B(t.CreateRaw("[\"RS256\"]", Jwt.Json(t.Claims())))], 401, "invalid_token", "malformed"),
        ["duplicate alg in the header"] = t => new("/orders", [B(t.CreateRaw("{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims())))], 401, "invalid_token", "malformed"),
        ["duplicate aud in the payload"] = t => new("/orders", [B(t.CreateRaw("{\"alg\":\"RS256\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims())[..^1] + ",\"aud\":\"https://evil.example\"}"))], 401, "invalid_token", "malformed"),
        ["payload not JSON"] = t => new("/orders", [B(t.CreateRaw("{\"alg\":\"RS256\",\"kid\":\"key-0\"}", "hello"))], 401, "invalid_token", "malformed"),
        ["payload a JSON array"] = t => new("/orders", [B(t.CreateRaw("{\"alg\":\"RS256\",\"kid\":\"key-0\"}", "[1,2]"))], 401, "invalid_token", "malformed"),
        ["100 KB token"] = t => new("/orders", [B(t.Create(c => c["pad"] = new string('a', 100 * 1024)))], 401, "invalid_token", "token_too_large"),
        ["signature one byte short"] = t => new("/orders", [B(Replace(t.Create(), 2, s => TestKey.Base64Url(System.Buffers.Text.Base64Url.DecodeFromChars(s)[..^1])))], 401, "invalid_token", "bad_signature"),
        ["signature bit flipped"] = t => new("/orders", [B(Replace(t.Create(), 2, FlipFirstBit))], 401, "invalid_token", "bad_signature"),
        ["signature empty"] = t => new("/orders", [B(Replace(t.Create(), 2, _ => string.Empty))], 401, "invalid_token", "bad_signature"),
        ["payload changed after signing"] = t => new("/orders", [B(Swap(t.Create(c => c["scope"] = "openid"), t.Create(c => c["scope"] = "openid read:orders admin")))], 401, "invalid_token", "bad_signature"),
        ["unknown header parameters accepted"] = t => new("/orders", [B(t.Create(header: h => { h["typ"] = "at+jwt"; h["x-custom"] = "1"; }))], 200, null, null),
        ["the valid token"] = t => new("/orders", [B(t.Create())], 200, null, null),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    /// <summary>Builds one case of the suite, for other suites that run it (the token doctor, the differential test).</summary>
    internal static Case Build(string name, TokenFactory tokens) => Cases[name](tokens);

    [Fact]
    public void Suite_HasAtLeastSixtyCases() => Assert.True(Cases.Count >= 60, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Request_HostileToken_AnswersWithStatusErrorAndReason(string name)
    {
        var @case = Cases[name](fixture.Tokens);
        using var request = new HttpRequestMessage(HttpMethod.Get, @case.Path);
        foreach (var value in @case.Authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }

        using var response = await fixture.Api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = await Problem.ReadAsync(response);

        Assert.Equal(@case.Status, problem.Status);
        Assert.Equal(@case.Error, problem.Error);
        Assert.Equal(@case.Reason, problem.Reason);
        if (@case.Status != 200)
        {
            Assert.Equal("application/problem+json", problem.ContentType);
        }
    }

    [Fact]
    public async Task Suite_CacheOnAndOff_SameAnswerForEveryToken()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var cached = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = true);
        await using var uncached = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = false);
        var tokens = cached.Tokens(TestKey.Shared(0));
        var differences = new List<string>();
        foreach (var (name, make) in Cases)
        {
            var @case = make(tokens);

            // The first request to the cached API fills the cache, the second is answered from it.
            var first = await SendAsync(cached, @case);
            var repeated = await SendAsync(cached, @case);
            var without = await SendAsync(uncached, @case);
            if (first != without || repeated != without)
            {
                differences.Add($"{name}: cache off {without}, cache on {first} then {repeated}");
            }
        }

        Assert.Empty(differences);
    }

    private static async Task<(int Status, string? Error, string? Reason)> SendAsync(ApiHost api, Case @case)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, @case.Path);
        foreach (var value in @case.Authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }

        using var response = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = await Problem.ReadAsync(response);
        return (problem.Status, problem.Error, problem.Reason);
    }

    private static string B(string token) => "Bearer " + token;

    private static string Hs256(TokenFactory t, byte[] secret) =>
        Jwt.Sign("{\"alg\":\"HS256\",\"kid\":\"key-0\",\"typ\":\"JWT\"}", Jwt.Json(t.Claims()), input => HMACSHA256.HashData(secret, input));

    private static string Other(TokenFactory t, string alg, HashAlgorithmName hash, RSASignaturePadding padding) =>
        Jwt.Sign("{\"alg\":\"" + alg + "\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims()), input => t.Key.Rsa.SignData(input, hash, padding));

    private static string Replace(string token, int segment, Func<string, string> change)
    {
        var parts = token.Split('.');
        parts[segment] = change(parts[segment]);
        return string.Join('.', parts);
    }

    private static string FlipFirstBit(string segment)
    {
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(segment);
        bytes[10] ^= 0x01;
        return TestKey.Base64Url(bytes);
    }

    private static string Swap(string signed, string other)
    {
        var a = signed.Split('.');
        var b = other.Split('.');
        return a[0] + "." + b[1] + "." + a[2];
    }

}
