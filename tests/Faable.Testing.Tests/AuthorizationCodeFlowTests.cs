using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Faable.Testing.Tests.LocalTenantHost;

namespace Faable.Testing.Tests;

public sealed class AuthorizationCodeFlowTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-05-12T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await StartAsync(services: s => s.AddSingleton<TimeProvider>(_clock));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task SignIn_KnownUser_RedirectsWithCodeAndState_ThenTokensValidate()
    {
        var pkce = Pkce.Create();

        var callback = await _host.SignInAsync(pkce);
        var (status, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal("st-123", callback["state"]);
        Assert.False(callback.ContainsKey("signup"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("openid profile email read:orders", body.GetProperty("scope").GetString());
        var jwks = await _host.Client.GetStringAsync("_faable/.well-known/jwks.json", TestContext.Current.CancellationToken);
        var access = body.GetProperty("access_token").GetString()!;
        Assert.True((await TestJwt.ValidateAsync(access, jwks, _host.Issuer, ApiIdentifier, _clock.GetUtcNow())).IsValid);
        var accessJwt = TestJwt.Read(access);
        Assert.Equal(KnownUserId, accessJwt.Subject);
        Assert.Equal(WebClientId, accessJwt.GetPayloadValue<string>("client_id"));
        Assert.Equal("read:orders", accessJwt.GetPayloadValue<string>("permissions"));
        var id = body.GetProperty("id_token").GetString()!;
        Assert.True((await TestJwt.ValidateAsync(id, jwks, _host.Issuer, WebClientId, _clock.GetUtcNow())).IsValid);
        var idJwt = TestJwt.Read(id);
        Assert.Equal("n-456", idJwt.GetPayloadValue<string>("nonce"));
        Assert.Equal("ada@example.com", idJwt.GetPayloadValue<string>("email"));
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), idJwt.GetPayloadValue<long>("auth_time"));
    }

    [Fact]
    public async Task SignIn_PublicClientWithoutSecret_Succeeds()
    {
        var pkce = Pkce.Create();

        var callback = await _host.SignInAsync(pkce, PublicClientId);
        var (status, _, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier, PublicClientId, secret: null);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task SignIn_NoAudience_AccessTokenIsForUserInfoOnly()
    {
        var pkce = Pkce.Create();
        var transaction = await _host.BeginAuthorizeAsync(pkce, scope: "openid email", audience: null);
        using var login = await _host.SubmitLoginAsync(transaction, ("user_id", KnownUserId));

        var (_, body, _) = await _host.RedeemAsync(CallbackQuery(login)["code"], pkce.Verifier);

        var jwt = TestJwt.Read(body.GetProperty("access_token").GetString()!);
        Assert.Equal(_host.Issuer + "/userinfo", jwt.GetPayloadValue<string>("aud"));
        Assert.False(jwt.TryGetPayloadValue<object>("permissions", out _));
    }

    [Fact]
    public async Task SignUp_NewGithubUserWithoutEmail_CarriesSignupTrueOnce()
    {
        var pkce = Pkce.Create();

        var first = await _host.SignInAsync(pkce, fields: [("connection", "github"), ("name", "octocat")]);
        var second = await _host.SignInAsync(Pkce.Create(), fields: [("connection", "github"), ("name", "octocat")]);

        Assert.Equal("true", first["signup"]);
        Assert.False(second.ContainsKey("signup"));
        var user = Assert.Single(_host.Tenant.Users, u => u.Name == "octocat");
        Assert.StartsWith("user_", user.UserId, StringComparison.Ordinal);
        Assert.Null(user.Email);
        Assert.Equal("github", user.Connection);
    }

    [Fact]
    public async Task Token_MissingVerifier_ReturnsInvalidRequest()
    {
        var callback = await _host.SignInAsync(Pkce.Create());

        var (status, body, _) = await _host.PostTokenAsync(
            [new("grant_type", "authorization_code"), new("code", callback["code"]), new("redirect_uri", Callback), new("client_id", WebClientId), new("client_secret", WebClientSecret)]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Contains("code_verifier", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_WrongVerifier_ReturnsInvalidGrantAndBurnsCode()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);

        var (status, body, _) = await _host.RedeemAsync(callback["code"], Pkce.Create().Verifier);
        var (retry, _, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, retry);
    }

    [Fact]
    public async Task Token_ChallengeSentAsVerifier_ReturnsInvalidGrant()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);

        var (status, body, _) = await _host.RedeemAsync(callback["code"], pkce.Challenge);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_CodeReplay_ReturnsInvalidGrant()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);

        var (first, _, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);
        var (second, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_RedirectUriMismatch_ReturnsInvalidGrant()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);

        var (status, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier, redirectUri: Callback + "/other");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_CodeOfAnotherClient_ReturnsInvalidGrant()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce, PublicClientId);

        var (status, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier, WebClientId, WebClientSecret);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_ExpiredCode_ReturnsInvalidGrant()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);

        _clock.Advance(TimeSpan.FromSeconds(61));
        var (status, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_ConfidentialClientWithoutSecret_Returns401()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);

        var (status, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier, secret: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("https://evil.example.com/callback")]
    [InlineData("https://app.example.com/callback/")]
    [InlineData("https://app.example.com/callback?x=1")]
    [InlineData("HTTPS://APP.EXAMPLE.COM/callback")]
    public async Task Authorize_RedirectUriNotAllowed_ShowsErrorPageWithoutRedirect(string redirectUri)
    {
        var query = AuthorizeQuery(Pkce.Create());
        query["redirect_uri"] = redirectUri;

        using var response = await _host.Client.GetAsync(QueryHelpers.AddQueryString("_faable/authorize", query), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Callback URL mismatch", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_UnknownClient_ShowsErrorPage()
    {
        var query = AuthorizeQuery(Pkce.Create());
        query["client_id"] = "nope";

        using var response = await _host.Client.GetAsync(QueryHelpers.AddQueryString("_faable/authorize", query), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_RepeatedRedirectUri_ShowsErrorPage()
    {
        var url = QueryHelpers.AddQueryString("_faable/authorize", AuthorizeQuery(Pkce.Create())) + "&redirect_uri=" + Uri.EscapeDataString("https://evil.example.com/");

        using var response = await _host.Client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge", "short", "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("nonce", null, "invalid_request")]
    [InlineData("audience", "https://nope.example.com", "aud_mismatch")]
    [InlineData("scope", "openid delete:orders", "invalid_scope")]
    public async Task Authorize_InvalidParameter_RedirectsToCallbackWithError(string name, string? value, string error)
    {
        var query = AuthorizeQuery(Pkce.Create());
        query[name] = value;

        using var response = await _host.Client.GetAsync(QueryHelpers.AddQueryString("_faable/authorize", query), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var callback = CallbackQuery(response);
        Assert.Equal(error, callback["error"]);
        Assert.Equal("st-123", callback["state"]);
        Assert.False(callback.ContainsKey("code"));
    }

    [Fact]
    public async Task Authorize_MissingState_RedirectsWithInvalidRequest()
    {
        var query = AuthorizeQuery(Pkce.Create());
        query["state"] = null;

        using var response = await _host.Client.GetAsync(QueryHelpers.AddQueryString("_faable/authorize", query), TestContext.Current.CancellationToken);

        Assert.Equal("invalid_request", CallbackQuery(response)["error"]);
    }

    [Fact]
    public async Task Login_TransactionReused_ShowsErrorWithoutCode()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());
        using var first = await _host.SubmitLoginAsync(transaction, ("user_id", KnownUserId));

        using var second = await _host.SubmitLoginAsync(transaction, ("user_id", KnownUserId));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Null(second.Headers.Location);
    }

    [Fact]
    public async Task Login_AfterLoginLifetime_ShowsErrorWithoutCode()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());

        _clock.Advance(TimeSpan.FromMinutes(11));
        using var response = await _host.SubmitLoginAsync(transaction, ("user_id", KnownUserId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Login_ForgedTransaction_ShowsError()
    {
        using var response = await _host.SubmitLoginAsync("forged", ("user_id", KnownUserId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task LoginPage_EncodesUserData()
    {
        await using var host = await StartAsync(o => o.Users.Add(new FaableLocalUser { UserId = "user_x", Name = "<script>alert(1)</script>" }));

        var transaction = await host.BeginAuthorizeAsync(Pkce.Create());
        Assert.NotEmpty(transaction);
        var query = AuthorizeQuery(Pkce.Create());
        var html = await host.Client.GetStringAsync(QueryHelpers.AddQueryString("_faable/authorize", query), TestContext.Current.CancellationToken);

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> AuthorizeQuery(Pkce pkce) => new()
    {
        ["response_type"] = "code",
        ["client_id"] = WebClientId,
        ["redirect_uri"] = Callback,
        ["state"] = "st-123",
        ["nonce"] = "n-456",
        ["code_challenge"] = pkce.Challenge,
        ["code_challenge_method"] = "S256",
        ["scope"] = "openid read:orders",
        ["audience"] = ApiIdentifier,
    };
}
