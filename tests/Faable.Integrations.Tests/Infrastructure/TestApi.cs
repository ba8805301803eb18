using Faable.AspNetCore;
using Faable.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Integrations.Tests.Infrastructure;

/// <summary>A real API on Kestrel (127.0.0.1, port 0) trusting a <see cref="FaableTestTenant"/> served in process.</summary>
internal sealed class TestApi : IAsyncDisposable
{
    public const string Audience = "https://orders.example.com";

    private TestApi(WebApplication app, FaableTestTenant tenant, FakeTimeProvider time, FakeLogCollector logs)
    {
        App = app;
        Tenant = tenant;
        Time = time;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public static DateTimeOffset Start { get; } = new(2026, 5, 12, 10, 0, 0, TimeSpan.Zero);

    public WebApplication App { get; }

    public FaableTestTenant Tenant { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestApi> StartAsync(
        Action<WebApplication> map,
        Action<IServiceCollection>? services = null,
        string environment = "Production",
        Action<FaableAuthOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var tenant = new FaableTestTenant(new FaableTestTenantOptions { TimeProvider = time, DefaultAudience = Audience });
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = typeof(TestApi).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = tenant.Issuer;
            o.Audience = Audience;
            configure?.Invoke(o);
        });
        builder.Services.AddFaableTestTenant(tenant, Audience);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFaableAuth();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApi(app, tenant, time, app.Services.GetRequiredService<FakeLogCollector>());
    }

    public static HttpRequestMessage Get(string path, string? token = null) => Send(HttpMethod.Get, path, token);

    public static HttpRequestMessage Post(string path, string? token = null) => Send(HttpMethod.Post, path, token);

    private static HttpRequestMessage Send(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Tenant.Dispose();
    }
}
