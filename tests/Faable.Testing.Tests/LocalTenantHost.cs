using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Testing.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 (random port) hosting the local tenant, plus an HTTP client that does not follow redirects.</summary>
internal sealed partial class LocalTenantHost : IAsyncDisposable
{
    public const string ApiIdentifier = "https://orders.example.com";
    public const string WebClientId = "web_app";
    public const string WebClientSecret = "web_secret_0123456789";
    public const string PublicClientId = "spa_app";
    public const string BackendClientId = "billing_job";
    public const string BackendSecret = "billing_secret_0123456789";
    public const string Callback = "https://app.example.com/callback";
    public const string KnownUserId = "user_66f1a2b3c4d5e6f7a8b9c0d1";

    private readonly WebApplication _app;

    private LocalTenantHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public FaableLocalTenant Tenant => _app.Services.GetRequiredService<FaableLocalTenant>();

    public string Issuer => BaseAddress.AbsoluteUri.TrimEnd('/') + "/_faable";

    public static async Task<LocalTenantHost> StartAsync(
        Action<FaableLocalTenantOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        string environment = "Development")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.Services.AddFaableLocalTenant(options =>
        {
            Defaults(options);
            configure?.Invoke(options);
        });
        var app = builder.Build();
        app.MapFaableLocalTenant("/_faable");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalTenantHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public static void Defaults(FaableLocalTenantOptions options)
    {
        options.AccountId = "acc_6612ab34cd56ef7890ab12cd";
        var web = new FaableLocalClient { ClientId = WebClientId, ClientSecret = WebClientSecret, Name = "Orders Web" };
        web.CallbackUrls.Add(Callback);
        options.Clients.Add(web);
        var spa = new FaableLocalClient { ClientId = PublicClientId, Name = "Orders SPA" };
        spa.CallbackUrls.Add(Callback);
        options.Clients.Add(spa);
        var job = new FaableLocalClient { ClientId = BackendClientId, ClientSecret = BackendSecret, Name = "Billing job" };
        job.GrantTypes.Add("client_credentials");
        options.Clients.Add(job);
        var api = new FaableLocalApi { Identifier = ApiIdentifier, Name = "Orders" };
        api.Scopes.Add("read:orders");
        api.Scopes.Add("write:orders");
        options.Apis.Add(api);
        options.Users.Add(new FaableLocalUser { UserId = KnownUserId, Email = "ada@example.com", EmailVerified = true, Name = "Ada", Connection = "database" });
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostTokenAsync(
        IEnumerable<KeyValuePair<string, string>> form, (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/oauth/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is { } b)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(b.Id)}:{Uri.EscapeDataString(b.Secret)}")));
        }

        return await SendJsonAsync(request);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendJsonAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, body, response);
    }

    /// <summary>Starts a sign-in with PKCE; returns the login page's transaction id.</summary>
    public async Task<string> BeginAuthorizeAsync(Pkce pkce, string clientId = WebClientId, string scope = "openid profile email read:orders", string? audience = ApiIdentifier, string state = "st-123", string nonce = "n-456")
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = Callback,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
            ["scope"] = scope,
            ["audience"] = audience,
        };
        using var response = await Client.GetAsync(QueryHelpers.AddQueryString("_faable/authorize", query), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TransactionPattern().Match(html).Groups[1].Value;
    }

    public async Task<HttpResponseMessage> SubmitLoginAsync(string transaction, params (string Name, string Value)[] fields)
    {
        var form = new List<KeyValuePair<string, string>> { new("transaction", transaction) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await Client.PostAsync("_faable/login", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    /// <summary>Signs in as the known user and returns the callback's query (code, state…).</summary>
    public async Task<Dictionary<string, string>> SignInAsync(Pkce pkce, string clientId = WebClientId, string scope = "openid profile email read:orders", params (string Name, string Value)[] fields)
    {
        var transaction = await BeginAuthorizeAsync(pkce, clientId, scope);
        using var response = await SubmitLoginAsync(transaction, fields.Length > 0 ? fields : [("user_id", KnownUserId)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return CallbackQuery(response);
    }

    public static Dictionary<string, string> CallbackQuery(HttpResponseMessage response)
    {
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(Callback + "?", location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> RedeemAsync(string code, string verifier, string clientId = WebClientId, string? secret = WebClientSecret, string redirectUri = Callback)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = verifier,
        };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        return PostTokenAsync(form);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }

    [GeneratedRegex("name=\"transaction\" value=\"([^\"]+)\"")]
    private static partial Regex TransactionPattern();
}

/// <summary>A PKCE verifier and its S256 challenge.</summary>
internal sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}
