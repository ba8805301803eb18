using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Faable.AspNetCore.Tests.Authorization;

/// <summary>
/// A Faable requirement's policy names the Faable scheme. Where the authentication middleware has already
/// authenticated the request through it, that result is used as it is (claims transformed once); everywhere else the
/// framework authenticates the scheme for the policy, as it always does.
/// </summary>
public sealed class PolicyEvaluatorTests
{
    private const string Subject = "user_66f1a2b3c4d5e6f7a8b9c0d1";

    [Fact]
    public async Task FaableDefaultScheme_RequireScope_TransformsClaimsOnceAndKeepsTheTransformedUser()
    {
        var transformation = new CountingTransformation();
        await using var api = await PolicyApi.StartAsync(services => services.AddSingleton<IClaimsTransformation>(transformation));

        using var allowed = await api.GetAsync("/orders", api.Tokens.Create(c => c["scope"] = "read:orders"));
        var onePerRequest = transformation.Calls;
        using var forbidden = await api.GetAsync("/orders", api.Tokens.Create(c => c["scope"] = "openid"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        // The endpoint sees the claim the application's transformation added, made once for the request.
        Assert.Equal(Subject + " transformed 1", await allowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, onePerRequest);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, transformation.Calls);
    }

    [Fact]
    public async Task AnotherDefaultScheme_RequireScope_AuthenticatesFaableForThePolicy()
    {
        await using var api = await PolicyApi.StartAsync(services => services
            .AddAuthentication(o => o.DefaultScheme = OtherHandler.Name)
            .AddScheme<AuthenticationSchemeOptions, OtherHandler>(OtherHandler.Name, null));

        using var allowed = await api.GetAsync("/orders", api.Tokens.Create(c => c["scope"] = "read:orders"));
        using var missing = await api.GetAsync("/orders", null);
        using var otherUser = await api.GetAsync("/orders", null, other: true);

        // The default scheme never sees a bearer token: the policy's own authentication of Faable's scheme lets it in.
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Subject + " 0", await allowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.StartsWith("Bearer", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // The default scheme's user is not a Faable user: the requirement asks for a token.
        Assert.Equal(HttpStatusCode.Unauthorized, otherUser.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UserReplacedAfterAuthentication_RequireScope_AuthenticatesFaableAgain(bool userFeatureOnly)
    {
        await using var api = await PolicyApi.StartAsync(between: app => app.Use((context, next) =>
        {
            var anonymous = new ClaimsPrincipal(new ClaimsIdentity());
            if (userFeatureOnly)
            {
                // A feature of its own for the user: the middleware's result stays behind, describing another user.
                context.Features.Set<IHttpAuthenticationFeature>(new UserFeature { User = anonymous });
            }
            else
            {
                context.User = anonymous;
            }

            return next(context);
        }));

        using var allowed = await api.GetAsync("/orders", api.Tokens.Create(c => c["scope"] = "read:orders"));

        // The middleware's result no longer describes the request's user, so the framework authenticates the scheme.
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Subject + " 0", await allowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ApplicationsPolicyEvaluator_EitherOrder_IsNeverReplaced(bool registeredBeforeAddFaableAuth)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (registeredBeforeAddFaableAuth)
        {
            services.AddTransient<IPolicyEvaluator, AppEvaluator>();
        }

        services.AddFaableAuth(o =>
        {
            o.Domain = "https://tenant.auth.faable.link";
            o.Audience = ApiHost.Audience;
        });
        if (!registeredBeforeAddFaableAuth)
        {
            services.AddTransient<IPolicyEvaluator, AppEvaluator>();
        }

        await using var provider = services.BuildServiceProvider();
        Assert.IsType<AppEvaluator>(provider.GetRequiredService<IPolicyEvaluator>());
    }

    [Fact]
    public async Task FrameworkPolicyEvaluator_IsTheFaableOne()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization();
        services.AddFaableAuth(o =>
        {
            o.Domain = "https://tenant.auth.faable.link";
            o.Audience = ApiHost.Audience;
        });
        services.AddAuthorization();

        await using var provider = services.BuildServiceProvider();
        Assert.IsType<FaablePolicyEvaluator>(provider.GetRequiredService<IPolicyEvaluator>());
        Assert.Single(services, d => d.ServiceType == typeof(IPolicyEvaluator));
    }

    /// <summary>Adds a claim by making a new principal, as many applications' transformations do, and counts its calls.</summary>
    private sealed class CountingTransformation : IClaimsTransformation
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var call = Interlocked.Increment(ref _calls);
            var copy = principal.Clone();
            ((ClaimsIdentity)copy.Identity!).AddClaim(new Claim("transformed", call.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return Task.FromResult(copy);
        }
    }

    /// <summary>An application's own scheme: a fixed user for requests carrying <c>X-Other</c>, nothing otherwise.</summary>
    private sealed class OtherHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "Other";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers.ContainsKey("X-Other")
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "other"), new Claim("scope", "read:orders")], Name)), Name))
                : AuthenticateResult.NoResult());
    }

    private sealed class AppEvaluator(IAuthorizationService authorization) : PolicyEvaluator(authorization);

    private sealed class UserFeature : IHttpAuthenticationFeature
    {
        public ClaimsPrincipal? User { get; set; }
    }

    /// <summary>An API whose <c>/orders</c> requires <c>read:orders</c> and answers with its user's subject and <c>transformed</c> claim.</summary>
    private sealed class PolicyApi : IAsyncDisposable
    {
        private readonly FakeTenant _tenant;
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private PolicyApi(FakeTenant tenant, WebApplication app, TokenFactory tokens)
        {
            _tenant = tenant;
            _app = app;
            _client = app.GetTestClient();
            Tokens = tokens;
        }

        public TokenFactory Tokens { get; }

        public static async Task<PolicyApi> StartAsync(Action<IServiceCollection>? services = null, Action<WebApplication>? between = null)
        {
            var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseTestServer();
            var time = new FakeTimeProvider(ApiHost.Start);
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddFaableAuth(o =>
            {
                o.Domain = tenant.Issuer;
                o.Audience = ApiHost.Audience;
                o.RequireHttpsMetadata = false;
            });
            services?.Invoke(builder.Services);
            var app = builder.Build();
            app.UseAuthentication();
            between?.Invoke(app);
            app.UseAuthorization();
            app.MapGet("/orders", (ClaimsPrincipal user) => $"{user.FindFirstValue("sub")} {(user.FindFirstValue("transformed") is { } t ? "transformed " + t : "0")}")
                .RequireScope("read:orders");
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new PolicyApi(tenant, app, new TokenFactory(tenant.Issuer, ApiHost.Audience, time, TestKey.Shared(0)));
        }

        public async Task<HttpResponseMessage> GetAsync(string path, string? token, bool other = false)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            if (other)
            {
                request.Headers.Add("X-Other", "1");
            }

            return await _client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.DisposeAsync();
            await _tenant.DisposeAsync();
        }
    }
}
