using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Testing.Tests;

public sealed class FaableTestTenantTests
{
    [Fact]
    public void Constructor_Default_UsesTestTenantIssuer()
    {
        using var tenant = new FaableTestTenant();

        Assert.Equal("https://test-tenant.auth.faable.link", tenant.Issuer);
        Assert.Equal("test-tenant.auth.faable.link", tenant.Domain);
        Assert.Equal("https://test-tenant.auth.faable.link/userinfo", tenant.UserInfoAudience);
    }

    [Theory]
    [InlineData("https://acme.auth.faable.link/")]
    [InlineData("acme.auth.faable.link")]
    [InlineData("ftp://acme.auth.faable.link")]
    [InlineData("https://acme.auth.faable.link?x=1")]
    [InlineData("")]
    public void Constructor_InvalidIssuer_Throws(string issuer)
    {
        var error = Assert.Throws<ArgumentException>(() => new FaableTestTenant(issuer));
        Assert.Contains("issuer", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Constructor_LoopbackBaseWithPath_IsAccepted()
    {
        using var tenant = new FaableTestTenant("http://127.0.0.1:5001/_faable");

        Assert.Equal("127.0.0.1:5001/_faable", tenant.Domain);
        Assert.Equal("http://127.0.0.1:5001/_faable/.well-known/jwks.json", tenant.JwksUri.AbsoluteUri);
    }

    [Fact]
    public void GetDiscoveryDocument_Always_ListsFaableEndpointsAndCapabilities()
    {
        using var tenant = new FaableTestTenant("https://acme.auth.faable.link");

        using var doc = JsonDocument.Parse(tenant.GetDiscoveryDocument());
        var root = doc.RootElement;

        Assert.Equal("https://acme.auth.faable.link", root.GetProperty("issuer").GetString());
        Assert.Equal("https://acme.auth.faable.link/.well-known/jwks.json", root.GetProperty("jwks_uri").GetString());
        Assert.Equal("https://acme.auth.faable.link/authorize", root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("https://acme.auth.faable.link/oauth/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://acme.auth.faable.link/userinfo", root.GetProperty("userinfo_endpoint").GetString());
        Assert.StartsWith("https://acme.auth.faable.link/", root.GetProperty("end_session_endpoint").GetString(), StringComparison.Ordinal);
        Assert.Equal(["RS256"], Strings(root, "id_token_signing_alg_values_supported"));
        Assert.Equal(["code"], Strings(root, "response_types_supported"));
        Assert.Equal(["S256"], Strings(root, "code_challenge_methods_supported"));
        Assert.Contains("client_credentials", Strings(root, "grant_types_supported"));
        Assert.Contains("authorization_code", Strings(root, "grant_types_supported"));
        Assert.Contains("openid", Strings(root, "scopes_supported"));
    }

    [Fact]
    public void GetJwks_Always_PublishesPublicRsaPartsOnly()
    {
        using var tenant = new FaableTestTenant();

        using var doc = JsonDocument.Parse(tenant.GetJwks());
        var key = Assert.Single(doc.RootElement.GetProperty("keys").EnumerateArray());

        var members = key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], members);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(tenant.CurrentKeyId, key.GetProperty("kid").GetString());
        Assert.Equal(256, Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()).Length);
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
    }

    [Fact]
    public async Task RotateKeys_OldToken_StillValidatesUntilRetired()
    {
        using var tenant = new FaableTestTenant();
        var oldKid = tenant.CurrentKeyId;
        var oldToken = tenant.CreateUserAccessToken().Build();

        var newKid = tenant.RotateKeys();
        var newToken = tenant.CreateUserAccessToken().Build();

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, tenant.CurrentKeyId);
        Assert.Equal([oldKid, newKid], tenant.PublishedKeyIds);
        Assert.Equal(newKid, TestJwt.Read(newToken).Kid);
        Assert.True((await TestJwt.ValidateAsync(oldToken, tenant.GetJwks(), tenant.Issuer, tenant.DefaultAudience)).IsValid);
        Assert.True((await TestJwt.ValidateAsync(newToken, tenant.GetJwks(), tenant.Issuer, tenant.DefaultAudience)).IsValid);

        Assert.True(tenant.RetireKey(oldKid));

        Assert.Equal([newKid], tenant.PublishedKeyIds);
        Assert.False((await TestJwt.ValidateAsync(oldToken, tenant.GetJwks(), tenant.Issuer, tenant.DefaultAudience)).IsValid);
        Assert.True((await TestJwt.ValidateAsync(newToken, tenant.GetJwks(), tenant.Issuer, tenant.DefaultAudience)).IsValid);
    }

    [Fact]
    public void RetireKey_CurrentKey_Throws()
    {
        using var tenant = new FaableTestTenant();

        Assert.Throws<InvalidOperationException>(() => tenant.RetireKey(tenant.CurrentKeyId));
    }

    [Fact]
    public void RetireKey_UnknownKey_ReturnsFalse()
    {
        using var tenant = new FaableTestTenant();

        Assert.False(tenant.RetireKey("nope"));
    }

    [Fact]
    public async Task CreateValidationParameters_UsesTenantClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-05-12T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var tenant = new FaableTestTenant(new FaableTestTenantOptions { TimeProvider = clock });
        var token = tenant.CreateUserAccessToken().WithLifetime(TimeSpan.FromMinutes(5)).Build();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();

        Assert.True((await handler.ValidateTokenAsync(token, tenant.CreateValidationParameters(tenant.DefaultAudience))).IsValid);
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False((await handler.ValidateTokenAsync(token, tenant.CreateValidationParameters(tenant.DefaultAudience))).IsValid);
    }

    private static string[] Strings(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
