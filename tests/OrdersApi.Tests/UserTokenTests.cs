using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using OrdersApi.SignIn;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>A user access token obtained with authorization code + PKCE from the hosted tenant, used on the API.</summary>
[Collection(SampleGroup.Name)]
public sealed partial class UserTokenTests(SampleFixture sample)
{
    private const string AdaUserId = "user_66f1a2b3c4d5e6f7a8b9c0d1";

    [Fact]
    public async Task GetMe_UserTokenFromCodeFlow_DescribesTheUser()
    {
        var token = await SignInAsync(AdaUserId, "openid profile email read:orders");

        using var response = await sample.SendAsync(HttpMethod.Get, "/me", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(AdaUserId, me.GetProperty("subject").GetString());
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal("orders-web", me.GetProperty("clientId").GetString());
        Assert.Contains("read:orders", me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task PostOrders_UserTokenWithoutWriteOrders_Returns403()
    {
        var token = await SignInAsync(AdaUserId, "openid read:orders");
        var body = JsonContent.Create(new { customer = "Ada", lines = new[] { new { sku = "KB-104", quantity = 1, unitPrice = 1m } } });

        using var response = await sample.SendAsync(HttpMethod.Post, "/orders", token, body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_CodeWithWrongVerifier_IsRefused()
    {
        using var http = NewBrowserLikeClient();
        var (code, _) = await AuthorizeAsync(http, AdaUserId, "openid read:orders", Pkce.NewRandomValue());

        using var response = await ExchangeAsync(http, code, Pkce.NewRandomValue());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
    }

    private async Task<string> SignInAsync(string userId, string scope)
    {
        using var http = NewBrowserLikeClient();
        var verifier = Pkce.NewRandomValue();
        var (code, _) = await AuthorizeAsync(http, userId, scope, verifier);
        using var response = await ExchangeAsync(http, code, verifier);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    private async Task<(string Code, string State)> AuthorizeAsync(HttpClient http, string userId, string scope, string verifier)
    {
        var state = Pkce.NewRandomValue();
        var authorize = QueryHelpers.AddQueryString(sample.Tenant + "/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "orders-web",
            ["redirect_uri"] = sample.Origin + "/callback",
            ["scope"] = scope,
            ["audience"] = SampleFixture.Audience,
            ["state"] = state,
            ["nonce"] = Pkce.NewRandomValue(),
            ["code_challenge"] = Pkce.ChallengeOf(verifier),
            ["code_challenge_method"] = "S256",
        });
        var page = await http.GetStringAsync(authorize, TestContext.Current.CancellationToken);
        var transaction = TransactionField().Match(page);
        Assert.True(transaction.Success, "No transaction on the login page:\n" + page);

        using var login = await http.PostAsync(
            sample.Tenant + "/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["transaction"] = WebUtility.HtmlDecode(transaction.Groups[1].Value), ["user_id"] = userId }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var callback = login.Headers.Location!;
        Assert.Equal(sample.Origin + "/callback", callback.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal(state, query["state"].ToString());
        return (query["code"].ToString(), state);
    }

    private Task<HttpResponseMessage> ExchangeAsync(HttpClient http, string code, string verifier) =>
        http.PostAsync(sample.Tenant + "/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = sample.Origin + "/callback",
            ["code_verifier"] = verifier,
            ["client_id"] = "orders-web",
            ["client_secret"] = "dev-web-secret-change-me-0123456789",
        }), TestContext.Current.CancellationToken);

    private static HttpClient NewBrowserLikeClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return http;
    }

    [GeneratedRegex("name=\"transaction\" value=\"([^\"]+)\"")]
    private static partial Regex TransactionField();
}
