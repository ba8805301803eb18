using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>The sign-in pages over plain HTTP: what <c>/signin</c> sends, what <c>/callback</c> and <c>/profile</c> refuse.</summary>
[Collection(SampleGroup.Name)]
public sealed class SignInPagesTests(SampleFixture sample)
{
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

    private Task<HttpResponseMessage> PostProfileAsync(string state, string email) =>
        sample.SendAsync(HttpMethod.Post, "/profile", token: null, new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = state, ["email"] = email }));
}
