using System.Net;
using System.Text;
using System.Text.Json;
using static Faable.Testing.Tests.LocalTenantHost;

namespace Faable.Testing.Tests;

public sealed class TokenEndpointTests : IAsyncLifetime
{
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await StartAsync(o =>
    {
        var arrays = new FaableLocalApi { Identifier = "https://reports.example.com", PermissionsFormat = FaablePermissionsFormat.JsonArray };
        arrays.Scopes.Add("read:reports");
        o.Apis.Add(arrays);
        var scopeOnly = new FaableLocalApi { Identifier = "https://legacy.example.com", EnforcePolicies = false };
        scopeOnly.Scopes.Add("read:legacy");
        o.Apis.Add(scopeOnly);
    });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task ClientCredentials_BasicAuth_IssuesMachineTokenThatValidatesAgainstServedJwks()
    {
        var (status, body, response) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier), new("scope", "read:orders")],
            (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(86400, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("read:orders", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        var token = body.GetProperty("access_token").GetString()!;
        var jwks = await _host.Client.GetStringAsync("_faable/.well-known/jwks.json", TestContext.Current.CancellationToken);
        var result = await TestJwt.ValidateAsync(token, jwks, _host.Issuer, ApiIdentifier);
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = TestJwt.Read(token);
        Assert.Equal(BackendClientId, jwt.Subject);
        Assert.Equal(BackendClientId, jwt.GetPayloadValue<string>("client_id"));
        Assert.Equal("acc_6612ab34cd56ef7890ab12cd", jwt.GetPayloadValue<string>("account"));
        Assert.Equal("read:orders", jwt.GetPayloadValue<string>("permissions"));
        Assert.Equal("JWT", jwt.Typ);
    }

    [Fact]
    public async Task ClientCredentials_FormCredentials_Succeeds()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("client_id", BackendClientId), new("client_secret", BackendSecret), new("audience", ApiIdentifier)]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("read:orders write:orders", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task ClientCredentials_JsonBody_Succeeds()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/oauth/token")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = BackendClientId,
                    ["client_secret"] = BackendSecret,
                    ["audience"] = ApiIdentifier,
                    ["scope"] = "write:orders",
                }),
                Encoding.UTF8,
                "application/json"),
        };

        var (status, body, _) = await _host.SendJsonAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("write:orders", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task ClientCredentials_NoScope_GrantsWholeCatalog()
    {
        var (_, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], (BackendClientId, BackendSecret));

        var jwt = TestJwt.Read(body.GetProperty("access_token").GetString()!);
        Assert.Equal("read:orders write:orders", jwt.GetPayloadValue<string>("scope"));
        Assert.Equal("read:orders write:orders", jwt.GetPayloadValue<string>("permissions"));
    }

    [Fact]
    public async Task ClientCredentials_ApiWithArrayPermissions_WritesArray()
    {
        var (_, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", "https://reports.example.com")], (BackendClientId, BackendSecret));

        var payload = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(body.GetProperty("access_token").GetString()!.Split('.')[1])).RootElement;
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("permissions").ValueKind);
        Assert.Equal("read:reports", payload.GetProperty("permissions")[0].GetString());
    }

    [Fact]
    public async Task ClientCredentials_ApiWithoutPolicies_OmitsPermissions()
    {
        var (_, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", "https://legacy.example.com")], (BackendClientId, BackendSecret));

        var jwt = TestJwt.Read(body.GetProperty("access_token").GetString()!);
        Assert.False(jwt.TryGetPayloadValue<object>("permissions", out _));
        Assert.Equal("read:legacy", jwt.GetPayloadValue<string>("scope"));
    }

    [Fact]
    public async Task ClientCredentials_WrongSecretBasic_Returns401InvalidClientWithChallenge()
    {
        var (status, body, response) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], (BackendClientId, "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.True(body.TryGetProperty("error_description", out _));
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_WrongSecretForm_Returns401InvalidClient()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("client_id", BackendClientId), new("client_secret", "wrong"), new("audience", ApiIdentifier)]);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_MissingSecret_Returns401InvalidClient()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("client_id", BackendClientId), new("audience", ApiIdentifier)]);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_UnknownClient_Returns401InvalidClient()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], ("nobody", "x"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_BasicAndBodySecret_Returns400InvalidRequest()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("client_secret", BackendSecret), new("audience", ApiIdentifier)], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_UnknownAudience_ReturnsAudMismatch()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", "https://nope.example.com")], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("aud_mismatch", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_MissingAudience_ReturnsInvalidRequest()
    {
        var (status, body, _) = await _host.PostTokenAsync([new("grant_type", "client_credentials")], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Contains("audience", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_ScopeOutsideCatalog_ReturnsInvalidScope()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier), new("scope", "read:orders delete:orders")], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
        Assert.Contains("delete:orders", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_PrefixOfCatalogScope_ReturnsInvalidScope()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier), new("scope", "read:order")], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ClientCredentials_PublicClient_ReturnsUnauthorizedClient()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("client_id", PublicClientId), new("audience", ApiIdentifier)]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unauthorized_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnknownGrantType_ReturnsUnsupportedGrantType()
    {
        var (status, body, _) = await _host.PostTokenAsync([new("grant_type", "password")], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_grant_type", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task MissingGrantType_ReturnsInvalidRequest()
    {
        var (status, body, _) = await _host.PostTokenAsync([new("audience", ApiIdentifier)], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task RepeatedParameter_ReturnsInvalidRequest()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier), new("audience", "https://reports.example.com")], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TextBody_ReturnsInvalidRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/oauth/token") { Content = new StringContent("grant_type=client_credentials") };

        var (status, body, _) = await _host.SendJsonAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OversizedBody_ReturnsInvalidRequest()
    {
        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", new string('a', 70_000))], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task JsonBodyWithNonStringValue_ReturnsInvalidRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/oauth/token")
        {
            Content = new StringContent("{\"grant_type\":\"client_credentials\",\"audience\":[\"x\"]}", Encoding.UTF8, "application/json"),
        };

        var (status, body, _) = await _host.SendJsonAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }
}
