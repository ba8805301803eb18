using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Benchmarks;

/// <summary>
/// One GET request through the application's whole middleware pipeline (routing, authentication, authorization and the
/// endpoint) without the HTTP server: the same application shapes as <c>benchmarks/load</c>'s servers, each in its own
/// service provider. What Kestrel adds is the same for every row, so the differences here are the differences of the
/// load test's server CPU column, measured without its noise.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private const string FloorScheme = "floor";
    private AuthBenchmarkTenant _tenant = null!;
    private App _floor = null!;
    private App _faable = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tenant = new AuthBenchmarkTenant();
        _floor = new App(
            services =>
            {
                services.AddAuthentication(FloorScheme).AddScheme<AuthenticationSchemeOptions, FloorAuthenticationHandler>(FloorScheme, null);
                services.AddAuthorization();
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
            },
            endpoints =>
            {
                endpoints.MapGet("/hello", () => "hello").RequireAuthorization(p => p.RequireClaim("scope", "read:orders"));
                endpoints.MapGet("/hello-scheme", () => "hello").RequireAuthorization(p => p.AddAuthenticationSchemes(FloorScheme).RequireClaim("scope", "read:orders"));
                endpoints.MapGet("/open", () => "hello");
            });
        _faable = new App(
            services => services.AddFaableAuth(o =>
            {
                o.Domain = AuthBenchmarkTenant.Issuer;
                o.Audience = AuthBenchmarkTenant.Audience;
                o.BackchannelHttpHandler = _tenant;
            }),
            app => app.UseFaableAuth(),
            endpoints =>
            {
                endpoints.MapGet("/hello", () => "hello").RequireScope("read:orders");
                endpoints.MapGet("/open", () => "hello");
            });
        foreach (var (app, path) in new[] { (_floor, "/hello"), (_floor, "/hello-scheme"), (_floor, "/open"), (_faable, "/hello"), (_faable, "/open") })
        {
            var status = app.SendAsync(path, _tenant.Token).GetAwaiter().GetResult();
            if (status != StatusCodes.Status200OK)
            {
                throw new InvalidOperationException($"The benchmark setup is broken: {path} answered {status}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _faable.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<int> FloorScoped() => _floor.SendAsync("/hello", _tenant.Token);

    [Benchmark]
    public Task<int> FloorScopedNamingItsScheme() => _floor.SendAsync("/hello-scheme", _tenant.Token);

    [Benchmark]
    public Task<int> FaableScoped() => _faable.SendAsync("/hello", _tenant.Token);

    [Benchmark]
    public Task<int> FloorOpenWithToken() => _floor.SendAsync("/open", _tenant.Token);

    [Benchmark]
    public Task<int> FaableOpenWithToken() => _faable.SendAsync("/open", _tenant.Token);

    /// <summary>An application built with the pre-minimal-hosting application builder, served without a server.</summary>
    private sealed class App : IDisposable
    {
        private readonly ServiceProvider _services;
        private readonly RequestDelegate _pipeline;

        public App(Action<IServiceCollection> configureServices, Action<IApplicationBuilder> configure, Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder> endpoints)
        {
            var services = new ServiceCollection();
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            services.AddRouting();
            var listener = new System.Diagnostics.DiagnosticListener("Microsoft.AspNetCore");
            services.AddSingleton(listener);
            services.AddSingleton<System.Diagnostics.DiagnosticSource>(listener);
            configureServices(services);
            _services = services.BuildServiceProvider();
            var app = new ApplicationBuilder(_services);
            app.UseRouting();
            configure(app);
            app.UseEndpoints(endpoints);
            _pipeline = app.Build();
        }

        public async Task<int> SendAsync(string path, string token)
        {
            // A scope per request, as the server creates one.
            await using var scope = _services.CreateAsyncScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            context.Request.Headers.Authorization = "Bearer " + token;
            await _pipeline(context);
            return context.Response.StatusCode;
        }

        public void Dispose() => _services.Dispose();
    }
}
