using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Cli.Tests.Infrastructure;

/// <summary>
/// One emulator per test class, started from a settings file like a user's (a single-page-app client whose callback is
/// the test application, a client-credentials worker, the Orders API, two users, the sample's actions folder), and an
/// API that trusts it: <c>AddFaableAuth</c> with the emulator as its domain, fetching keys over HTTP.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string Audience = "https://orders.example.com";
    public const string SpaClientId = "orders-spa";
    public const string WorkerClientId = "orders-worker";
    public const string WorkerSecret = "orders-worker-secret-0123456789";
    public const string AdaUserId = "user_000000000000000000000001";

    private EmulatorProcess? _emulator;
    private TestApp? _api;

    public string Folder { get; } = Directory.CreateTempSubdirectory("faable-cli-emulator-").FullName;

    internal EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("Not started.");

    public string Issuer => Emulator.Issuer;

    /// <summary>The API (and the single-page app's callback) served by the tests.</summary>
    public string ApiOrigin => _api?.Origin ?? throw new InvalidOperationException("Not started.");

    public string CallbackUrl => ApiOrigin + "/callback";

    /// <summary>Every query string the callback received, newest last.</summary>
    public ConcurrentQueue<IQueryCollection> Callbacks { get; } = new();

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask InitializeAsync()
    {
        var apiPort = OrdersApi.Tests.Infrastructure.FreePort.Next();
        var actions = Directory.CreateDirectory(Path.Combine(Folder, "actions")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(Faable.Tests.Shared.RepositoryPaths.Root, "samples", "OrdersApi", "actions")))
        {
            File.Copy(file, Path.Combine(actions, Path.GetFileName(file)));
        }

        var settings = new JsonObject
        {
            ["Clients"] = new JsonArray(
                new JsonObject { ["ClientId"] = SpaClientId, ["Name"] = "Orders SPA", ["CallbackUrls"] = new JsonArray($"http://127.0.0.1:{apiPort}/callback") },
                new JsonObject { ["ClientId"] = WorkerClientId, ["ClientSecret"] = WorkerSecret, ["GrantTypes"] = new JsonArray("client_credentials") }),
            ["Apis"] = new JsonArray(new JsonObject { ["Identifier"] = Audience, ["Scopes"] = new JsonArray("read:orders", "write:orders") }),
            ["Users"] = new JsonArray(
                new JsonObject { ["UserId"] = AdaUserId, ["Email"] = "ada@example.com", ["EmailVerified"] = true, ["Name"] = "Ada Lovelace" },
                new JsonObject { ["UserId"] = "user_000000000000000000000002", ["Name"] = "Linus", ["Connection"] = "github" }),
            ["ActionsPath"] = "actions",
        };
        await File.WriteAllTextAsync(Path.Combine(Folder, "faable.emulator.json"), settings.ToJsonString());

        // Started from the folder with no --config: the file there is found by its conventional name.
        _emulator = await EmulatorProcess.StartAsync(Folder);
        var issuer = _emulator.Issuer;
        _api = await TestApp.StartAsync(
            apiPort,
            services => services.AddFaableAuth(o =>
            {
                o.Domain = issuer;
                o.Audience = Audience;
            }),
            app =>
            {
                app.UseFaableAuth();
                app.MapGet("/orders", () => Results.Json(new[] { new { id = "ord_1001" } })).RequireScope("read:orders");
                app.MapGet("/callback", (HttpContext context) =>
                {
                    Callbacks.Enqueue(context.Request.Query);
                    return Results.Content("<!doctype html><title>Signed in</title><p id=\"done\">Code received.</p>", "text/html");
                }).AllowAnonymous();
            });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A client-credentials token from the emulator's <c>/oauth/token</c> (HTTP Basic, as the printed curl does).</summary>
    public async Task<string> MachineTokenAsync(string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["audience"] = Audience };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Issuer + "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WorkerClientId}:{WorkerSecret}")));
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"/oauth/token answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>GET on the API with a bearer token.</summary>
    public async Task<HttpResponseMessage> GetOrdersAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ApiOrigin + "/orders");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
