using System.Net;
using Faable.Actions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
          if (event.user.email === 'crash@example.com') throw new Error('continue exploded with sk_live_do_not_show')
        }
        """;

    private const string Gate = """
        exports.onExecutePostLogin = async (event, api) => {
          if (event.user.name === 'mallory') return api.access.deny('<b>Blocked</b> & "refused"')
          if (event.user.name === 'crash') throw new Error('boom: sk_live_do_not_show')
          if (event.user.name === 'slow') await new Promise(resolve => setTimeout(resolve, 60000))
          if (event.user.name === 'hog') { const big = []; for (let i = 0; i < 2000000; i++) big.push(i) }
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
        }, services: s => s.AddLogging(b => b.AddFakeLogging()));
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

    [Theory]
    [InlineData("crash", "The action 'gate' threw an error; no token was issued.")]
    [InlineData("slow", "The action 'gate' timed out; no token was issued.")]
    [InlineData("hog", "The action 'gate' exceeded its MaxArraySize limit; no token was issued.")]
    public async Task PostLogin_ActionFails_RedirectsServerErrorWithStateAndNoCode(string name, string description)
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create(), state: "st-fail-" + name);

        using var response = await _host.SubmitLoginAsync(transaction, ("connection", "database"), ("name", name), ("email", name + "@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var callback = CallbackQuery(response);
        Assert.Equal("server_error", callback["error"]);
        Assert.Equal(description, callback["error_description"]);
        Assert.Equal("st-fail-" + name, callback["state"]);
        Assert.False(callback.ContainsKey("code"));
        Assert.Equal(0, _host.Tenant.Codes.Count);
        Assert.Equal(0, _host.Tenant.PausedLogins.Count);
        Assert.Equal(["user.created"], _host.Tenant.WebhookDeliveries.Select(d => d.EventType).ToArray());
    }

    [Fact]
    public async Task PostLogin_ActionThrows_ErrorMessageGoesToTheLogNotTheRedirect()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());

        using var response = await _host.SubmitLoginAsync(transaction, ("connection", "database"), ("name", "crash"), ("email", "crash@example.com"));

        var location = response.Headers.Location!.ToString();
        Assert.DoesNotContain("boom", location, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live", location, StringComparison.Ordinal);
        var logged = Assert.Single(_host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 4010);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("gate", logged.Message, StringComparison.Ordinal);
        Assert.Contains("boom", logged.Exception?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostLogin_ActionFailsAfterCallbackUrlRemoved_Shows502PageInsteadOfRedirecting()
    {
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());
        var client = _host.Services.GetRequiredService<IOptions<FaableLocalTenantOptions>>().Value.Clients.Single(c => c.ClientId == WebClientId);
        client.CallbackUrls.Clear();

        using var response = await _host.SubmitLoginAsync(transaction, ("connection", "database"), ("name", "crash"), ("email", "crash@example.com"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("The action &#x27;gate&#x27; threw an error; no token was issued.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live", html, StringComparison.Ordinal);
        Assert.Equal(0, _host.Tenant.Codes.Count);
    }

    [Fact]
    public async Task Continue_ActionFails_RedirectsServerErrorAndConsumesThePausedLogin()
    {
        var state = await PauseAsync("continue-crash");
        var continueUrl = $"_faable/continue?state={Uri.EscapeDataString(state)}&email=crash%40example.com";

        using var resumed = await _host.Client.GetAsync(continueUrl, TestContext.Current.CancellationToken);
        using var replay = await _host.Client.GetAsync(continueUrl, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        var callback = CallbackQuery(resumed);
        Assert.Equal("server_error", callback["error"]);
        Assert.Equal("The action 'profile' threw an error; no token was issued.", callback["error_description"]);
        Assert.Equal("st-123", callback["state"]);
        Assert.False(callback.ContainsKey("code"));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Null(replay.Headers.Location);
        Assert.Equal(0, _host.Tenant.Codes.Count);
        Assert.Equal(0, _host.Tenant.PausedLogins.Count);
        Assert.DoesNotContain(_host.Tenant.WebhookDeliveries, d => d.EventType == "auth.login");
    }

    [Theory]
    [InlineData("gate", "gate")]
    [InlineData("say \"hi\" \\ é\n", "say ?hi? ? ??")]
    public void Describe_ActionName_KeepsOnlyCharactersAllowedInErrorDescription(string name, string shown)
    {
        var description = Internal.ActionFailure.Describe(new ActionTimeoutException(name, TimeSpan.FromSeconds(5)));

        Assert.Equal($"The action '{shown}' timed out; no token was issued.", description);
    }

    [Fact]
    public void Describe_NoActionNamed_SaysTheActionsCouldNotRun()
    {
        var description = Internal.ActionFailure.Describe(null);

        Assert.Equal("The login actions could not run; no token was issued.", description);
    }

    [Fact]
    public void Describe_LongActionName_IsCut()
    {
        var description = Internal.ActionFailure.Describe(new ActionScriptException(new string('a', 200), "boom"));

        Assert.Equal($"The action '{new string('a', Internal.ActionFailure.MaxNameLength)}...' threw an error; no token was issued.", description);
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
