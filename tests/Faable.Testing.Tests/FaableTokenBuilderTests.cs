using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Testing.Tests;

public sealed class FaableTokenBuilderTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-05-12T10:00:00Z", CultureInfo.InvariantCulture);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly FaableTestTenant _tenant;

    public FaableTokenBuilderTests()
    {
        _tenant = new FaableTestTenant(new FaableTestTenantOptions
        {
            Issuer = "https://acme.auth.faable.link",
            AccountId = "acc_6612ab34cd56ef7890ab12cd",
            DefaultAudience = "https://api.myapp.com",
            DefaultClientId = "AbC123xYz",
            TimeProvider = _clock,
        });
    }

    public void Dispose() => _tenant.Dispose();

    [Fact]
    public async Task UserAccessToken_Default_MatchesFaablePayload()
    {
        var token = _tenant.CreateUserAccessToken("user_66f1a2b3c4d5e6f7a8b9c0d1")
            .WithScope("openid profile email read:orders")
            .WithPermissions("read:orders")
            .Build();

        var (header, payload) = Decode(token);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal(_tenant.CurrentKeyId, header.GetProperty("kid").GetString());
        Assert.Equal("user_66f1a2b3c4d5e6f7a8b9c0d1", payload.GetProperty("sub").GetString());
        Assert.Equal("openid profile email read:orders", payload.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.String, payload.GetProperty("permissions").ValueKind);
        Assert.Equal("read:orders", payload.GetProperty("permissions").GetString());
        Assert.Equal("AbC123xYz", payload.GetProperty("client_id").GetString());
        Assert.Equal("acc_6612ab34cd56ef7890ab12cd", payload.GetProperty("account").GetString());
        Assert.Equal("https://api.myapp.com", payload.GetProperty("aud").GetString());
        Assert.Equal("https://acme.auth.faable.link", payload.GetProperty("iss").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds() + 86400, payload.GetProperty("exp").GetInt64());
        Assert.False(payload.TryGetProperty("nbf", out _));
        Assert.True((await Validate(token)).IsValid);
    }

    [Fact]
    public void UserAccessToken_PermissionsAsArray_WritesJsonArray()
    {
        var token = _tenant.CreateUserAccessToken()
            .WithPermissions("read:orders", "write:orders")
            .WithPermissionsFormat(FaablePermissionsFormat.JsonArray)
            .Build();

        var permissions = Decode(token).Payload.GetProperty("permissions");
        Assert.Equal(JsonValueKind.Array, permissions.ValueKind);
        Assert.Equal(["read:orders", "write:orders"], permissions.EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public void UserAccessToken_PermissionsAsString_JoinsWithSpaces()
    {
        var token = _tenant.CreateUserAccessToken()
            .WithPermissions("read:orders", "write:orders")
            .WithPermissionsFormat(FaablePermissionsFormat.SpaceSeparatedString)
            .Build();

        Assert.Equal("read:orders write:orders", Decode(token).Payload.GetProperty("permissions").GetString());
    }

    [Fact]
    public void TenantDefaultPermissionsFormat_Array_AppliesToBuilders()
    {
        using var tenant = new FaableTestTenant(new FaableTestTenantOptions { PermissionsFormat = FaablePermissionsFormat.JsonArray });

        var token = tenant.CreateUserAccessToken().WithPermissions("read:orders").Build();

        Assert.Equal(JsonValueKind.Array, Decode(token).Payload.GetProperty("permissions").ValueKind);
    }

    [Fact]
    public void UserAccessToken_TeamsAndRoles_AreArrays()
    {
        var token = _tenant.CreateUserAccessToken().WithTeams("team_a").WithRoles("admin", "support").Build();

        var payload = Decode(token).Payload;
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("teams").ValueKind);
        Assert.Equal(["admin", "support"], payload.GetProperty("roles").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task MachineAccessToken_Default_SubjectIsClientId()
    {
        var token = _tenant.CreateMachineAccessToken("svc_billing").WithScope("read:orders").Build();

        var payload = Decode(token).Payload;
        Assert.Equal("svc_billing", payload.GetProperty("sub").GetString());
        Assert.Equal("svc_billing", payload.GetProperty("client_id").GetString());
        Assert.Equal("read:orders", payload.GetProperty("scope").GetString());
        Assert.True((await Validate(token)).IsValid);
    }

    [Fact]
    public async Task IdToken_Default_AudienceIsClientAndCarriesNonce()
    {
        var token = _tenant.CreateIdToken("user_1").WithClientId("web_app").WithNonce("n-0S6_WzA2Mj").WithEmail("ada@example.com").Build();

        var payload = Decode(token).Payload;
        Assert.Equal("web_app", payload.GetProperty("aud").GetString());
        Assert.Equal("n-0S6_WzA2Mj", payload.GetProperty("nonce").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.GetProperty("auth_time").GetInt64());
        Assert.Equal("ada@example.com", payload.GetProperty("email").GetString());
        Assert.True(payload.GetProperty("email_verified").GetBoolean());
        Assert.False(payload.TryGetProperty("scope", out _));
        Assert.True((await TestJwt.ValidateAsync(token, _tenant.GetJwks(), _tenant.Issuer, "web_app", Now)).IsValid);
        Assert.False((await Validate(token)).IsValid);
    }

    [Fact]
    public async Task Expired_Default_IsRejectedEvenWithFiveMinuteSkew()
    {
        var token = _tenant.CreateUserAccessToken().Expired().Build();

        var payload = Decode(token).Payload;
        Assert.Equal(Now.AddMinutes(-10).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.True(payload.GetProperty("iat").GetInt64() < payload.GetProperty("exp").GetInt64());
        var result = await Validate(token);
        Assert.IsType<SecurityTokenInvalidLifetimeException>(result.Exception);
    }

    [Fact]
    public async Task NotYetValid_Default_IsRejected()
    {
        var token = _tenant.CreateUserAccessToken().NotYetValid().Build();

        Assert.Equal(Now.AddMinutes(10).ToUnixTimeSeconds(), Decode(token).Payload.GetProperty("nbf").GetInt64());
        Assert.IsType<SecurityTokenInvalidLifetimeException>((await Validate(token)).Exception);
    }

    [Fact]
    public async Task WrongAudience_IsRejected()
    {
        var token = _tenant.CreateUserAccessToken().WithWrongAudience().Build();

        Assert.IsType<SecurityTokenInvalidAudienceException>((await Validate(token)).Exception);
    }

    [Fact]
    public async Task UserInfoAudience_IsTenantUserInfoUrlAndRejectedByApi()
    {
        var token = _tenant.CreateUserAccessToken().WithUserInfoAudience().Build();

        Assert.Equal("https://acme.auth.faable.link/userinfo", Decode(token).Payload.GetProperty("aud").GetString());
        Assert.IsType<SecurityTokenInvalidAudienceException>((await Validate(token)).Exception);
    }

    [Fact]
    public async Task WrongIssuer_IsRejected()
    {
        var token = _tenant.CreateUserAccessToken().WithWrongIssuer().Build();

        Assert.IsType<SecurityTokenInvalidIssuerException>((await Validate(token)).Exception);
    }

    [Fact]
    public async Task TrailingSlashIssuer_IsRejected()
    {
        var token = _tenant.CreateUserAccessToken().WithTrailingSlashIssuer().Build();

        Assert.Equal("https://acme.auth.faable.link/", Decode(token).Payload.GetProperty("iss").GetString());
        Assert.IsType<SecurityTokenInvalidIssuerException>((await Validate(token)).Exception);
    }

    [Fact]
    public async Task SignedWithUnknownKey_IsRejected()
    {
        var token = _tenant.CreateUserAccessToken().SignedWithUnknownKey().Build();

        var kid = Decode(token).Header.GetProperty("kid").GetString();
        Assert.DoesNotContain(kid, _tenant.PublishedKeyIds);
        Assert.False((await Validate(token)).IsValid);
    }

    [Fact]
    public async Task SignedWithUnknownKeyUsingCurrentKeyId_FailsSignature()
    {
        var token = _tenant.CreateUserAccessToken().SignedWithUnknownKeyUsingCurrentKeyId().Build();

        Assert.Equal(_tenant.CurrentKeyId, Decode(token).Header.GetProperty("kid").GetString());
        Assert.IsType<SecurityTokenInvalidSignatureException>((await Validate(token)).Exception);
    }

    [Fact]
    public async Task SignedWithKey_RetiredKey_IsRejected()
    {
        var old = _tenant.CurrentKeyId;
        _tenant.RotateKeys();
        _tenant.RetireKey(old);

        var token = _tenant.CreateUserAccessToken().SignedWithKey(old).Build();

        Assert.Equal(old, Decode(token).Header.GetProperty("kid").GetString());
        Assert.False((await Validate(token)).IsValid);
    }

    [Fact]
    public void WithoutKeyId_OmitsKid()
    {
        var token = _tenant.CreateUserAccessToken().WithoutKeyId().Build();

        Assert.False(Decode(token).Header.TryGetProperty("kid", out _));
    }

    [Fact]
    public async Task WithoutSignature_IsAlgNoneAndRejected()
    {
        var token = _tenant.CreateUserAccessToken().WithoutSignature().Build();

        Assert.Equal("none", Decode(token).Header.GetProperty("alg").GetString());
        Assert.False((await Validate(token)).IsValid);
    }

    [Fact]
    public void WithoutClaim_RemovesStandardClaim()
    {
        var token = _tenant.CreateUserAccessToken().WithoutClaim("exp").WithoutClaim("client_id").Build();

        var payload = Decode(token).Payload;
        Assert.False(payload.TryGetProperty("exp", out _));
        Assert.False(payload.TryGetProperty("client_id", out _));
    }

    [Fact]
    public void WithClaim_ReplacesStandardClaim()
    {
        var token = _tenant.CreateUserAccessToken().WithClaim("permissions", ["a", "b"]).WithClaim("exp", "later").Build();

        var payload = Decode(token).Payload;
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("permissions").ValueKind);
        Assert.Equal("later", payload.GetProperty("exp").GetString());
    }

    [Fact]
    public void SignedWithKey_UnknownKid_Throws()
    {
        Assert.Throws<ArgumentException>(() => _tenant.CreateUserAccessToken().SignedWithKey("nope"));
    }

    private Task<TokenValidationResult> Validate(string token) =>
        TestJwt.ValidateAsync(token, _tenant.GetJwks(), _tenant.Issuer, _tenant.DefaultAudience, Now);

    private static (JsonElement Header, JsonElement Payload) Decode(string token)
    {
        var parts = token.Split('.');
        return (Parse(parts[0]), Parse(parts[1]));

        static JsonElement Parse(string segment) =>
            JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(segment))).RootElement.Clone();
    }
}
