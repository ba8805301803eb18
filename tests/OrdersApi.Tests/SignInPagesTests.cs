using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using OrdersApi.SignIn;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>The sign-in pages over plain HTTP: what <c>/signin</c> sends, what <c>/callback</c> and <c>/profile</c> refuse.</summary>
[Collection(SampleGroup.Name)]
public sealed partial class SignInPagesTests(SampleFixture sample)
{
    private const string AdaUserId = "user_66f1a2b3c4d5e6f7a8b9c0d1";

    [Fact]
    public async Task SignIn_Started_RedirectsToAuthorizeWithPkceS256StateAndNonce()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/signin", token: null);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(sample.Tenant + "/authorize?", location, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(location).Query);
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("orders-web", query["client_id"].ToString());
        Assert.Equal(sample.Origin + "/callback", query["redirect_uri"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["code_challenge"].ToString());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["state"].ToString());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["nonce"].ToString());
        Assert.Equal("https://orders.example.com", query["audience"].ToString());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("orders_signin=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SignIn_TwoStarts_UseDifferentStatesAndChallenges()
    {
        using var first = await sample.SendAsync(HttpMethod.Get, "/signin", token: null);
        using var second = await sample.SendAsync(HttpMethod.Get, "/signin", token: null);

        var a = QueryHelpers.ParseQuery(first.Headers.Location!.Query);
        var b = QueryHelpers.ParseQuery(second.Headers.Location!.Query);
        Assert.NotEqual(a["state"].ToString(), b["state"].ToString());
        Assert.NotEqual(a["code_challenge"].ToString(), b["code_challenge"].ToString());
        Assert.NotEqual(a["nonce"].ToString(), b["nonce"].ToString());
    }

    [Fact]
    public async Task Callback_UnknownState_Returns400()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/callback?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown, expired or already finished", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_StateTwice_Returns400()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/callback?code=abc&state=a&state=b", token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Callback_RealStateFromAnotherBrowser_Returns400AndBurnsTheState()
    {
        using var start = await sample.SendAsync(HttpMethod.Get, "/signin", token: null);
        var state = QueryHelpers.ParseQuery(start.Headers.Location!.Query)["state"].ToString();

        // No orders_signin cookie: this client is not the browser that started the sign-in.
        using var response = await sample.SendAsync(HttpMethod.Get, $"/callback?code=abc&state={state}", token: null);
        using var again = await sample.SendAsync(HttpMethod.Get, $"/callback?code=abc&state={state}", token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("another browser", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already finished", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_ServerErrorFromTenant_ShowsEscapedDescriptionAndLeavesTheCodeUnredeemed()
    {
        using var browser = NewBrowser();
        var (code, state) = await SignInUntilCallbackAsync(browser);
        var callback = QueryHelpers.AddQueryString(sample.Origin + "/callback", new Dictionary<string, string?>
        {
            ["error"] = "server_error",
            ["error_description"] = "<script>alert('x')</script> & the action 'gate' threw",
            ["code"] = code,
            ["state"] = state,
        });

        using var response = await browser.GetAsync(callback, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Sign-in failed at the tenant", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; the action &#x27;gate&#x27; threw", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<code id=\"error-code\">server_error</code>", html, StringComparison.Ordinal);

        // Had the callback redeemed the code, the tenant would now call it used; it still checks the verifier instead.
        using var redeem = await browser.PostAsync(sample.Tenant + "/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = sample.Origin + "/callback",
            ["code_verifier"] = Pkce.NewRandomValue(),
            ["client_id"] = "orders-web",
            ["client_secret"] = "dev-web-secret-change-me-0123456789",
        }), TestContext.Current.CancellationToken);
        var error = await redeem.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Equal("code_verifier does not match the code_challenge.", error.GetProperty("error_description").GetString());
    }

    [Theory]
    [InlineData("access_denied", HttpStatusCode.Forbidden, "Sign-in refused")]
    [InlineData("temporarily_unavailable", HttpStatusCode.ServiceUnavailable, "Sign-in temporarily unavailable")]
    [InlineData("invalid_scope", HttpStatusCode.BadGateway, "Sign-in refused by the tenant")]
    [InlineData("bad\"code", HttpStatusCode.BadRequest, "malformed error code")]
    public async Task Callback_ErrorFromTenant_AnswersTheStatusOfThatError(string errorCode, HttpStatusCode status, string shown)
    {
        using var browser = NewBrowser();
        var state = await StartAsync(browser);

        using var response = await browser.GetAsync($"{sample.Origin}/callback?error={Uri.EscapeDataString(errorCode)}&state={state}", TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(shown, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_ErrorWithUnknownState_DoesNotShowTheDescription()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/callback?error=server_error&error_description=Call%20555-0100%20now&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("555-0100", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_WithoutState_Returns400()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/profile", token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("ada@example.com, eve@example.com")]
    public async Task Profile_InvalidEmail_ShowsTheFormAgainWithoutContinuing(string email)
    {
        using var response = await PostProfileAsync("some-state", email);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("id=\"profile-error\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_ValidEmail_RedirectsToTheTenantsContinueWithStateAndEmail()
    {
        using var response = await PostProfileAsync("the-resume-state", "ada@example.com");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(sample.Tenant + "/continue", location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("the-resume-state", query["state"].ToString());
        Assert.Equal("ada@example.com", query["email"].ToString());
    }

    [Fact]
    public async Task Profile_EmptyEmail_ContinuesWithoutOne()
    {
        using var response = await PostProfileAsync("the-resume-state", "");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("the-resume-state", query["state"].ToString());
        Assert.False(query.ContainsKey("email"));
    }

    private static HttpClient NewBrowser() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Starts a sign-in at the sample (its binding cookie lands in the browser); returns the sample's state.</summary>
    private async Task<string> StartAsync(HttpClient browser)
    {
        using var start = await browser.GetAsync(sample.Origin + "/signin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        return QueryHelpers.ParseQuery(start.Headers.Location!.Query)["state"].ToString();
    }

    /// <summary>Signs in as Ada from the sample's /signin up to the tenant's redirect to /callback, which is not followed.</summary>
    private async Task<(string Code, string State)> SignInUntilCallbackAsync(HttpClient browser)
    {
        using var start = await browser.GetAsync(sample.Origin + "/signin", TestContext.Current.CancellationToken);
        var page = await browser.GetStringAsync(start.Headers.Location, TestContext.Current.CancellationToken);
        var transaction = TransactionField().Match(page);
        Assert.True(transaction.Success, "No transaction on the login page:\n" + page);
        using var login = await browser.PostAsync(
            sample.Tenant + "/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["transaction"] = WebUtility.HtmlDecode(transaction.Groups[1].Value), ["user_id"] = AdaUserId }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var query = QueryHelpers.ParseQuery(login.Headers.Location!.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    [GeneratedRegex("name=\"transaction\" value=\"([^\"]+)\"")]
    private static partial Regex TransactionField();

    private Task<HttpResponseMessage> PostProfileAsync(string state, string email) =>
        sample.SendAsync(HttpMethod.Post, "/profile", token: null, new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state, ["email"] = email }));
}
