using System.Net;
using System.Net.Http.Headers;
using static Faable.Testing.Tests.LocalTenantHost;

namespace Faable.Testing.Tests;

public sealed class UserInfoEndpointTests : IAsyncLifetime
{
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task UserInfo_UserAccessTokenWithOpenId_ReturnsProfile()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);
        var (_, tokens, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        var (status, body, _) = await GetUserInfoAsync(tokens.GetProperty("access_token").GetString());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(KnownUserId, body.GetProperty("sub").GetString());
        Assert.Equal("ada@example.com", body.GetProperty("email").GetString());
        Assert.True(body.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Ada", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task UserInfo_IdToken_Returns401()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);
        var (_, tokens, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        var (status, body, _) = await GetUserInfoAsync(tokens.GetProperty("id_token").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UserInfo_MachineToken_Returns403InsufficientScope()
    {
        var (_, tokens, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], (BackendClientId, BackendSecret));

        var (status, body, response) = await GetUserInfoAsync(tokens.GetProperty("access_token").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("insufficient_scope", body.GetProperty("error").GetString());
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_NoToken_Returns401()
    {
        var (status, _, response) = await GetUserInfoAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_TokenOfAnotherTenant_Returns401()
    {
        using var other = new FaableTestTenant(_host.Issuer);
        var token = other.CreateUserAccessToken(KnownUserId).WithScope("openid email").Build();

        var (status, body, _) = await GetUserInfoAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UserInfo_ExpiredToken_Returns401()
    {
        var token = _host.Tenant.Tenant.CreateUserAccessToken(KnownUserId).WithScope("openid").Expired().Build();

        var (status, _, _) = await GetUserInfoAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    private Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)> GetUserInfoAsync(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "_faable/userinfo");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return _host.SendJsonAsync(request);
    }
}
