using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>A real ASP.NET Core API using the package, run in TestHost (or on Kestrel) against a <see cref="FakeTenant"/>.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string Audience = "https://orders.example.com";

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, FakeTimeProvider time, TimeProvider clock, FakeTenant tenant, HttpClient client)
    {
        _app = app;
        Time = time;
        Clock = clock;
        Tenant = tenant;
        Client = client;
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Gets the clock the API runs on: <see cref="Time"/>, or the system clock for a host started with real time.</summary>
    public TimeProvider Clock { get; }

    public FakeTenant Tenant { get; }

    public IServiceProvider Services => _app.Services;

    public static DateTimeOffset Start { get; } = new(2026, 5, 12, 10, 0, 0, TimeSpan.Zero);

    public static async Task<ApiHost> StartAsync(
        FakeTenant tenant,
        Action<FaableAuthOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        string environment = "Production",
        Action<WebApplication>? map = null,
        bool realTime = false,
        bool overHttp = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = typeof(ApiHost).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        if (overHttp)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        var time = new FakeTimeProvider(Start);
        TimeProvider clock = realTime ? TimeProvider.System : time;
        builder.Services.AddSingleton(clock);
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = tenant.Issuer;
            o.Audience = Audience;
            o.RequireHttpsMetadata = false;
            configure?.Invoke(o);
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("AdminOnly", p => p.RequireClaim("roles", "admin")));
        builder.Services.AddControllers().AddApplicationPart(typeof(ApiHost).Assembly);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFaableAuth();
        TestApi.Map(app);
        app.MapControllers();
        map?.Invoke(app);
        await app.StartAsync();
        var client = overHttp
            ? new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) }
            : app.GetTestClient();
        return new ApiHost(app, time, clock, tenant, client);
    }

    public TokenFactory Tokens(TestKey key) => new(Tenant.Issuer, Audience, Clock, key);

    public async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
