using System.Net;
using Faable.Actions;
using Microsoft.AspNetCore.WebUtilities;
using static Faable.Testing.Tests.LocalTenantHost;

namespace Faable.Testing.Tests;

public sealed class LoginFlowTests : IAsyncLifetime
{
    private const string ProfilePage = "https://app.example.com/complete-profile";
    private const string WebhookSecret = "whsec_0123456789abcdef01234567";

    private const string ProgressiveProfiling = """
        exports.onExecutePostLogin = async (event, api) => {
          console.log('checking ' + event.user.user_id)
          if (!event.user.email) api.redirect.sendUserTo('https://app.example.com/complete-profile')
        }
        exports.onContinuePostLogin = async (event, api) => {
          if (!event.user.email) api.access.deny('An email address is required.', { code: 'profile_incomplete' })
        }
        """;

    private const string Gate = """
        exports.onExecutePostLogin = async (event, api) => {
          if (event.user.name === 'mallory') return api.access.deny('<b>Blocked</b> & "refused"')
          if (event.user.name === 'crash') throw new Error('boom')
        }
        """;

    private WebhookSubscriber _subscriber = null!;
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _subscriber = await WebhookSubscriber.StartAsync();
        _host = await StartAsync(o =>
        {
            o.Actions.Add(new FaableAction("gate", ActionTrigger.PostLogin, Gate) { Order = 1 });
            o.Actions.Add(new FaableAction("profile", ActionTrigger.PostLogin, ProgressiveProfiling) { Order = 2 });
            o.Actions.Add(new FaableAction("profile", ActionTrigger.Continue, ProgressiveProfiling) { Order = 2 });
            o.Webhooks.Add(new FaableLocalWebhookSubscriber { Url = _subscriber.Url, Secret = WebhookSecret });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _subscriber.DisposeAsync();
    }

    [Fact]
    public async Task GithubUserWithoutEmail_IsSentToProfilePage_ThenContinueWithEmail_GetsCodeWithSignup()
    {
        var pkce = Pkce.Create();
        var transaction = await _host.BeginAuthorizeAsync(pkce);

        using var login = await _host.SubmitLoginAsync(transaction, ("connection", "github"), ("name", "octocat"));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var profile = login.Headers.Location!.ToString();
        Assert.StartsWith(ProfilePage + "?state=", profile, StringComparison.Ordinal);
        var state = QueryHelpers.ParseQuery(new Uri(profile).Query)["state"].ToString();

        using var resumed = await _host.Client.GetAsync($"_faable/continue?state={Uri.EscapeDataString(state)}&email=octo%40example.com", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        var callback = CallbackQuery(resumed);
        Assert.Equal("st-123", callback["state"]);
        Assert.Equal("true", callback["signup"]);
        var (status, tokens, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        var id = TestJwt.Read(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("octo@example.com", id.GetPayloadValue<string>("email"));
        var user = Assert.Single(_host.Tenant.Users, u => u.Name == "octocat");
        Assert.Equal("octo@example.com", user.Email);
        Assert.Equal(["user.created", "user.updated", "auth.login"], _host.Tenant.WebhookDeliveries.Select(d => d.EventType).ToArray());

        using var replay = await _host.Client.GetAsync($"_faable/continue?state={Uri.EscapeDataString(state)}&email=octo%40example.com", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Null(replay.Headers.Location);
    }

    [Fact]
    public async Task Continue_WithoutEmail_ShowsDenialAndIssuesNoCode()
    {
        var state = await PauseAsync("no-mail");

        using var resumed = await _host.Client.GetAsync($"_faable/continue?state={Uri.EscapeDataString(state)}&email=", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, resumed.StatusCode);
        Assert.Null(resumed.Headers.Location);
        var html = await resumed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("An email address is required.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("profile_incomplete", html, StringComparison.Ordinal);
        Assert.Null(Assert.Single(_host.Tenant.Users, u => u.Name == "no-mail").Email);
    }

    [Fact]
    public async Task Continue_PostedForm_UpdatesUser()
    {
        var state = await PauseAsync("form-poster");

        using var resumed = await _host.Client.PostAsync(
            "_faable/continue",
            new FormUrlEncodedContent([new("state", state), new("email", "poster@example.com")]),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        Assert.True(CallbackQuery(resumed).ContainsKey("code"));
        Assert.Equal("poster@example.com", Assert.Single(_host.Tenant.Users, u => u.Name == "form-poster").Email);
    }

    [Fact]
    public async Task Continue_FromAnotherBrowser_IsRefusedAndDoesNotChangeUser()
    {
        var state = await PauseAsync("victim");
        using var otherBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };

        using var stolen = await otherBrowser.GetAsync($"_faable/continue?state={Uri.EscapeDataString(state)}&email=attacker%40example.com", TestContext.Current.CancellationToken);
        using var own = await _host.Client.GetAsync($"_faable/continue?state={Uri.EscapeDataString(state)}&email=victim%40example.com", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Null(stolen.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.Equal("victim@example.com", Assert.Single(_host.Tenant.Users, u => u.Name == "victim").Email);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?state=forged")]
    [InlineData("?state=a&state=b")]
    public async Task Continue_BadState_ShowsErrorPage(string query)
    {
        using var response = await _host.Client.GetAsync("_faable/continue" + query, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Continue_StateGivenTwice_IsRefusedEvenWhenValid()
    {
        var state = await PauseAsync("twice");

        using var response = await _host.Client.GetAsync($"_faable/continue?state={Uri.EscapeDataString(state)}&state={Uri.EscapeDataString(state)}&email=t%40example.com", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostLogin_Deny_ShowsEncodedReasonAndNoCode()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());

        using var response = await _host.SubmitLoginAsync(transaction, ("connection", "database"), ("name", "mallory"), ("email", "mallory@example.com"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("&lt;b&gt;Blocked&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Blocked</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLogin_ActionThrows_ShowsFailureAndNoCode()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());

        using var response = await _host.SubmitLoginAsync(transaction, ("connection", "database"), ("name", "crash"), ("email", "crash@example.com"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("gate", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLogin_UserWithEmail_GetsCodeDirectly()
    {
        var callback = await _host.SignInAsync(Pkce.Create());

        Assert.True(callback.ContainsKey("code"));
        Assert.Equal(["auth.login"], _host.Tenant.WebhookDeliveries.Select(d => d.EventType).ToArray());
    }

    [Fact]
    public async Task Login_FromAnotherBrowser_IsRefused()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());
        using var otherBrowser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };

        using var response = await otherBrowser.PostAsync(
            "_faable/login", new FormUrlEncodedContent([new("transaction", transaction), new("user_id", KnownUserId)]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private async Task<string> PauseAsync(string name)
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());
        using var login = await _host.SubmitLoginAsync(transaction, ("connection", "github"), ("name", name));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return QueryHelpers.ParseQuery(login.Headers.Location!.Query)["state"].ToString();
    }
}
