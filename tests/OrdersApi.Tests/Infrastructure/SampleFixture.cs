using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OrdersApi.Tests.Infrastructure;

/// <summary>One running sample (Development, embedded local tenant) shared by the end-to-end tests.</summary>
public sealed class SampleFixture : IAsyncLifetime
{
    public const string WorkerClientId = "orders-worker";
    public const string WorkerClientSecret = "dev-worker-secret-change-me-0123456789";
    public const string Audience = "https://orders.example.com";

    private SampleProcess? _sample;

    internal SampleProcess Sample => _sample ?? throw new InvalidOperationException("Not started.");

    public string Origin => Sample.Origin;

    public string Tenant => Sample.Tenant;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask InitializeAsync() => _sample = await SampleProcess.StartBuiltAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_sample is not null)
        {
            await _sample.DisposeAsync();
        }
    }

    /// <summary>A machine token from the local tenant's token endpoint (client credentials, Basic authentication).</summary>
    public async Task<string> MachineTokenAsync(string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["audience"] = Audience };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Tenant + "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WorkerClientId}:{WorkerClientSecret}")));
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"token endpoint answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Sends a request with a bearer token.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, Origin + path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Reads <c>GET /users</c> until <paramref name="done"/> holds for the table, or fails after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForUsersAsync(Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var token = await MachineTokenAsync("read:users");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        string last = "";
        while (true)
        {
            using (var response = await SendAsync(HttpMethod.Get, "/users", token))
            {
                last = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.Equal(200, (int)response.StatusCode);
                var users = JsonDocument.Parse(last).RootElement.Clone();
                if (done(users))
                {
                    return users;
                }
            }

            if (stopwatch.Elapsed > timeout)
            {
                Assert.Fail($"The users table did not reach the expected state within {timeout}. Last GET /users: {last}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The user with this id in a <c>GET /users</c> answer, if present.</summary>
    public static JsonElement? FindUser(JsonElement users, string userId) =>
        users.EnumerateArray().Where(u => u.GetProperty("userId").GetString() == userId).Select(u => (JsonElement?)u).FirstOrDefault();
}
