using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Faable.AspNetCore;
using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Benchmarks;

/// <summary>
/// Where a protected request's time goes, without HTTP: authenticating one request through the Faable scheme (a
/// repeated token), through plain JwtBearer, and through a "floor" handler that does no token work at all (what the
/// authentication machinery costs by itself), and evaluating a scope requirement on the resulting principal.
/// </summary>
[MemoryDiagnoser]
public class AuthPipelineBenchmarks
{
    private const string RawScheme = "RawJwt";
    private const string FloorScheme = "Floor";
    private AuthBenchmarkTenant _tenant = null!;
    private ServiceProvider _services = null!;
    private IAuthorizationService _authorization = null!;
    private AuthorizationPolicy _scopePolicy = null!;
    private ClaimsPrincipal _principal = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _tenant = new AuthBenchmarkTenant();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddFaableAuth(o =>
        {
            o.Domain = AuthBenchmarkTenant.Issuer;
            o.Audience = AuthBenchmarkTenant.Audience;
            o.BackchannelHttpHandler = _tenant;
        });
        services.AddAuthentication().AddJwtBearer(RawScheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = AuthBenchmarkTenant.Issuer,
                ValidAudience = AuthBenchmarkTenant.Audience,
                IssuerSigningKey = new RsaSecurityKey(_tenant.Key.ExportParameters(false)) { KeyId = AuthBenchmarkTenant.Kid },
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            };
        });
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, FloorAuthenticationHandler>(FloorScheme, null);
        _services = services.BuildServiceProvider();
        _authorization = _services.GetRequiredService<IAuthorizationService>();
        _scopePolicy = new AuthorizationPolicyBuilder().AddRequirements(new RequireScopeAttribute("read:orders").GetRequirements().ToArray()).Build();
        var first = await FaableAuthenticateAsync();
        _principal = first.Principal ?? throw new InvalidOperationException("The benchmark token does not validate: " + first.Failure?.Message);
        if (!(await RawJwtBearerAuthenticateAsync()).Succeeded || !await FaableScopeRequirementAsync())
        {
            throw new InvalidOperationException("The benchmark setup is broken.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task<AuthenticateResult> RawJwtBearerAuthenticateAsync() => AuthenticateAsync(RawScheme);

    [Benchmark]
    public Task<AuthenticateResult> FaableAuthenticateAsync() => AuthenticateAsync(FaableAuthDefaults.AuthenticationScheme);

    [Benchmark]
    public Task<AuthenticateResult> FloorAuthenticateAsync() => AuthenticateAsync(FloorScheme);

    [Benchmark]
    public async Task<bool> FaableScopeRequirementAsync() =>
        (await _authorization.AuthorizeAsync(_principal, null, _scopePolicy)).Succeeded;

    private async Task<AuthenticateResult> AuthenticateAsync(string scheme)
    {
        // A scope per request, as in ASP.NET Core: authentication handlers are scoped and remember their result.
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + _tenant.Token;
        return await context.AuthenticateAsync(scheme);
    }
}
