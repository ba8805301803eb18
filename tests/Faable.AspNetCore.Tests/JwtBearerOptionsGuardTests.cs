using System.Net;
using System.Security.Claims;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// JwtBearer settings on Faable's scheme that Faable's validation would not run fail start-up, each with a message
/// naming the Faable setting to use; honoured settings, events and other JwtBearer schemes are left alone.
/// </summary>
public sealed class JwtBearerOptionsGuardTests
{
    private static readonly SymmetricSecurityKey PartnerKey = new(System.Text.Encoding.UTF8.GetBytes("a partner secret of thirty-two bytes!!"));

    private static readonly Dictionary<string, (Action<JwtBearerOptions> Set, string Setting, string UseInstead)> Refused = new()
    {
        ["Authority"] = (o => o.Authority = "https://other.example.com", "JwtBearerOptions.Authority", "the tenant is Faable:Domain"),
        // JwtBearer itself would refuse an http authority with its own message; the Faable one comes first.
        ["Authority over http"] = (o => o.Authority = "http://other.example.com", "JwtBearerOptions.Authority", "the tenant is Faable:Domain"),
        ["MetadataAddress"] = (o => o.MetadataAddress = "https://other.example.com/.well-known/openid-configuration", "JwtBearerOptions.MetadataAddress", "the tenant is Faable:Domain"),
        ["Configuration"] = (o => o.Configuration = new OpenIdConnectConfiguration { Issuer = "https://other.example.com" }, "JwtBearerOptions.Configuration", "FaableAuthOptions.BackchannelHttpHandler"),
        ["BackchannelHttpHandler"] = (o => o.BackchannelHttpHandler = new HttpClientHandler(), "JwtBearerOptions.BackchannelHttpHandler", "'Faable.Jwks' HttpClient"),
        ["Audience"] = (o => o.Audience = "https://other-api.example.com", "JwtBearerOptions.Audience", "Faable:Audience and Faable:Audiences"),
        ["RequireHttpsMetadata"] = (o => o.RequireHttpsMetadata = false, "JwtBearerOptions.RequireHttpsMetadata", "use Faable:RequireHttpsMetadata"),
        ["BackchannelTimeout"] = (o => o.BackchannelTimeout = TimeSpan.FromSeconds(3), "JwtBearerOptions.BackchannelTimeout", "use Faable:JwksFetchTimeout"),
        ["AutomaticRefreshInterval"] = (o => o.AutomaticRefreshInterval = TimeSpan.FromHours(2), "JwtBearerOptions.AutomaticRefreshInterval", "use Faable:JwksRefreshInterval"),
        ["RefreshOnIssuerKeyNotFound"] = (o => o.RefreshOnIssuerKeyNotFound = true, "JwtBearerOptions.RefreshOnIssuerKeyNotFound", "Faable:JwksRefreshCooldown"),
        ["IncludeErrorDetails"] = (o => o.IncludeErrorDetails = true, "JwtBearerOptions.IncludeErrorDetails", "use Faable:IncludeErrorDetails"),
        ["MapInboundClaims"] = (o => o.MapInboundClaims = true, "JwtBearerOptions.MapInboundClaims", "Events.OnTokenValidated"),
        ["ClaimsIssuer"] = (o => o.ClaimsIssuer = "https://other.example.com", "JwtBearerOptions.ClaimsIssuer", "Events.OnTokenValidated"),
        ["TokenHandlers"] = (o => o.TokenHandlers.Add(new JsonWebTokenHandler()), "JwtBearerOptions.TokenHandlers", "Faable's token handler and event handlers must stay in place"),
        ["UseSecurityTokenValidators"] = (o => o.UseSecurityTokenValidators = true, "JwtBearerOptions.UseSecurityTokenValidators", "must stay in place"),
        ["EventsType"] = (o => o.EventsType = typeof(JwtBearerEvents), "JwtBearerOptions.EventsType", "an instance, not EventsType"),
        ["Challenge"] = (o => o.Challenge = "Custom", "JwtBearerOptions.Challenge", "must stay in place"),
        ["ValidTypes"] = (o => o.TokenValidationParameters.ValidTypes = ["at+jwt"], "TokenValidationParameters.ValidTypes", "Events.OnTokenValidated"),
        ["TypeValidator"] = (o => o.TokenValidationParameters.TypeValidator = (type, _, _) => type, "TokenValidationParameters.TypeValidator", "Events.OnTokenValidated"),
        ["ValidIssuer"] = (o => o.TokenValidationParameters.ValidIssuer = "https://other.example.com", "TokenValidationParameters.ValidIssuer", "derived from Faable:Domain"),
        ["ValidIssuers"] = (o => o.TokenValidationParameters.ValidIssuers = ["https://a.example.com", "https://b.example.com"], "TokenValidationParameters.ValidIssuers", "derived from Faable:Domain"),
        ["ValidateIssuer"] = (o => o.TokenValidationParameters.ValidateIssuer = false, "TokenValidationParameters.ValidateIssuer", "derived from Faable:Domain"),
        ["ValidAudiences"] = (o => o.TokenValidationParameters.ValidAudiences = ["https://other-api.example.com"], "TokenValidationParameters.ValidAudiences", "Faable:Audience and Faable:Audiences"),
        ["ValidateAudience"] = (o => o.TokenValidationParameters.ValidateAudience = false, "TokenValidationParameters.ValidateAudience", "Faable:Audience and Faable:Audiences"),
        ["ValidAlgorithms"] = (o => o.TokenValidationParameters.ValidAlgorithms = ["RS512"], "TokenValidationParameters.ValidAlgorithms", "only RS256 is accepted"),
        ["IssuerSigningKey"] = (o => o.TokenValidationParameters.IssuerSigningKey = PartnerKey, "TokenValidationParameters.IssuerSigningKey", "the tenant's JWKS"),
        ["IssuerSigningKeys"] = (o => o.TokenValidationParameters.IssuerSigningKeys = [PartnerKey], "TokenValidationParameters.IssuerSigningKeys", "the tenant's JWKS"),
        ["IssuerSigningKeyResolver"] = (o => o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => [PartnerKey], "TokenValidationParameters.IssuerSigningKeyResolver", "the tenant's JWKS"),
        ["SignatureValidator"] = (o => o.TokenValidationParameters.SignatureValidator = (token, _) => new JsonWebToken(token), "TokenValidationParameters.SignatureValidator", "the tenant's JWKS"),
        ["RequireSignedTokens"] = (o => o.TokenValidationParameters.RequireSignedTokens = false, "TokenValidationParameters.RequireSignedTokens", "the tenant's JWKS"),
        ["ClockSkew"] = (o => o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1), "TokenValidationParameters.ClockSkew", "use Faable:ClockSkew"),
        ["ValidateLifetime"] = (o => o.TokenValidationParameters.ValidateLifetime = false, "TokenValidationParameters.ValidateLifetime", "use Faable:ClockSkew"),
        ["NameClaimType"] = (o => o.TokenValidationParameters.NameClaimType = "email", "TokenValidationParameters.NameClaimType", "name claim 'sub'"),
        ["TokenDecryptionKey"] = (o => o.TokenValidationParameters.TokenDecryptionKey = PartnerKey, "TokenValidationParameters.TokenDecryptionKey", "never encrypted"),
        ["ValidateTokenReplay"] = (o => o.TokenValidationParameters.ValidateTokenReplay = true, "TokenValidationParameters.ValidateTokenReplay", "Events.OnTokenValidated (context.Fail(...)"),
        ["a whole new TokenValidationParameters"] = (o => o.TokenValidationParameters = new TokenValidationParameters { ValidateIssuerSigningKey = true }, "TokenValidationParameters.ValidateIssuerSigningKey", "the tenant's JWKS"),
    };

    public static TheoryData<string> RefusedSettings => [.. Refused.Keys];

    private static WebApplication Build(Action<IServiceCollection> services, string? section = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        if (section is null)
        {
            builder.Services.AddFaableAuth(o =>
            {
                o.Domain = "acme.auth.faable.link";
                o.Audience = ApiHost.Audience;
            });
        }
        else
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{section}:Domain"] = "acme.auth.faable.link",
                [$"{section}:Audience"] = ApiHost.Audience,
            });
            builder.Services.AddFaableAuth(builder.Configuration.GetSection(section));
        }

        services(builder.Services);
        var app = builder.Build();
        app.UseFaableAuth();
        return app;
    }

    private static async Task<OptionsValidationException> StartFailsAsync(Action<IServiceCollection> services, string? section = null)
    {
        await using var app = Build(services, section: section);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task Configure_RefusedSetting_FailsStartUpNamingTheFaableSettingToUse(string name)
    {
        var (set, setting, useInstead) = Refused[name];

        var failure = await StartFailsAsync(s => s.Configure(FaableAuthDefaults.AuthenticationScheme, set));

        Assert.Equal(FaableAuthDefaults.AuthenticationScheme, failure.OptionsName);
        var message = Assert.Single(failure.Failures, f => f.Contains(setting, StringComparison.Ordinal));
        Assert.Contains(useInstead, message, StringComparison.Ordinal);
        Assert.Contains("'FaableBearer' scheme", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedSettings))]
    public async Task PostConfigure_RefusedSetting_FailsStartUpNamingTheFaableSettingToUse(string name)
    {
        var (set, setting, useInstead) = Refused[name];

        var failure = await StartFailsAsync(s => s.PostConfigure(FaableAuthDefaults.AuthenticationScheme, set));

        var message = Assert.Single(failure.Failures, f => f.Contains(setting, StringComparison.Ordinal));
        Assert.Contains(useInstead, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_SeveralRefusedSettings_ReportsEveryOneAtOnce()
    {
        var failure = await StartFailsAsync(s => s.Configure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
        {
            o.TokenValidationParameters.ValidTypes = ["at+jwt"];
            o.TokenValidationParameters.ValidIssuers = ["https://other.example.com"];
            o.TokenValidationParameters.ValidAudience = "https://other-api.example.com";
            o.Audience = "https://other-api.example.com";
        }));

        Assert.Equal(3, failure.Failures.Count());
        Assert.Contains(failure.Failures, f => f.StartsWith("JwtBearerOptions.TokenValidationParameters.ValidTypes is set", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("JwtBearerOptions.TokenValidationParameters.ValidIssuers is set", StringComparison.Ordinal));
        // One message per Faable setting to use, naming every JwtBearer setting it replaces.
        Assert.Contains(failure.Failures, f => f.StartsWith("JwtBearerOptions.Audience, JwtBearerOptions.TokenValidationParameters.ValidAudience are set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configure_BoundFromAnotherSection_MessageNamesThatSection()
    {
        var failure = await StartFailsAsync(
            s => s.Configure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o => o.TokenValidationParameters.ValidAudiences = ["x"]),
            section: "Auth:Faable");

        Assert.Contains("Auth:Faable:Audience and Auth:Faable:Audiences", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainApp_StartsAndServes()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);

        using var response = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EventsAndNewTokenValidationParametersWithDefaults_AreAccepted()
    {
        var validated = 0;
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
        {
            // A default parameter set says nothing Faable would ignore.
            o.TokenValidationParameters = new TokenValidationParameters();
            o.Events.OnTokenValidated = _ =>
            {
                Interlocked.Increment(ref validated);
                return Task.CompletedTask;
            };
        }));

        var token = api.Tokens(TestKey.Shared(0)).Create();
        using var response = await api.GetAsync("/orders", token);
        using var repeated = await api.GetAsync("/orders", token);

        // The handler runs for a remembered token too.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (response.StatusCode, repeated.StatusCode));
        Assert.Equal(2, validated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveToken_IsHonoured_TokenReadableFromTheProperties(bool withTokenValidatedHandler)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(
            tenant,
            services: s => s.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
            {
                o.SaveToken = true;
                if (withTokenValidatedHandler)
                {
                    o.Events.OnTokenValidated = _ => Task.CompletedTask;
                }
            }),
            map: app => app.MapGet("/saved-token", async (HttpContext context) => await context.GetTokenAsync("access_token") ?? "none").RequireAuthorization());
        var token = api.Tokens(TestKey.Shared(0)).Create();

        using var response = await api.GetAsync("/saved-token", token);
        using var repeated = await api.GetAsync("/saved-token", token);

        // The first request validates the token, the second finds it remembered: both keep it.
        Assert.Equal(token, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(token, await repeated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SaveTokenOff_TokenNotKept()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(
            tenant,
            map: app => app.MapGet("/saved-token", async (HttpContext context) => await context.GetTokenAsync("access_token") ?? "none").RequireAuthorization());

        using var response = await api.GetAsync("/saved-token", api.Tokens(TestKey.Shared(0)).Create());

        Assert.Equal("none", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnotherJwtBearerScheme_WithItsOwnParameters_IsUntouched()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(
            tenant,
            services: s =>
            {
                s.AddAuthentication().AddJwtBearer("Partner", o =>
                {
                    o.MapInboundClaims = false;
                    o.Audience = "https://orders.example.com/partner";
                    o.TokenValidationParameters.ValidIssuer = "https://partner.example.com";
                    o.TokenValidationParameters.ValidTypes = ["JWT"];
                    o.TokenValidationParameters.IssuerSigningKey = PartnerKey;
                    o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                });
                s.PostConfigure<JwtBearerOptions>("Partner", o => o.TokenValidationParameters.ClockSkew = TimeSpan.Zero);
            },
            map: app => app.MapGet("/partner", (ClaimsPrincipal user) => user.FindFirst("sub")?.Value)
                .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Partner" }),
            realTime: true);
        var partnerToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://partner.example.com",
            Audience = "https://orders.example.com/partner",
            Claims = new Dictionary<string, object> { ["sub"] = "partner-job" },
            Expires = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(5),
            SigningCredentials = new SigningCredentials(PartnerKey, SecurityAlgorithms.HmacSha256),
        });

        using var partner = await api.GetAsync("/partner", partnerToken);
        using var faable = await api.GetAsync("/orders", api.Tokens(TestKey.Shared(0)).Create());
        using var crossed = await api.GetAsync("/orders", partnerToken);

        Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
        Assert.Equal("partner-job", await partner.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, faable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, crossed.StatusCode);
    }
}
