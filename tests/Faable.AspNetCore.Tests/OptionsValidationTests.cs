using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Tests;

public sealed class OptionsValidationTests
{
    private static List<string> Errors(Action<FaableAuthOptions> configure, bool development = false)
    {
        var options = new FaableAuthOptions { Domain = "acme.auth.faable.link", Audience = "https://api.example.com" };
        configure(options);
        return FaableAuthOptionsValidator.Collect(options, development);
    }

    [Fact]
    public void Validate_Defaults_HaveNoErrors() => Assert.Empty(Errors(_ => { }));

    [Theory]
    [InlineData("acme.auth.faable.link", "https://acme.auth.faable.link")]
    [InlineData("https://acme.auth.faable.link", "https://acme.auth.faable.link")]
    [InlineData("https://ACME.auth.faable.link", "https://acme.auth.faable.link")]
    [InlineData("http://127.0.0.1:5001/_faable", "http://127.0.0.1:5001/_faable")]
    public void TryParse_Domain_DerivesIssuerWithoutTrailingSlash(string domain, string issuer)
    {
        Assert.True(FaableTenant.TryParse(domain, out var tenant, out _));
        Assert.Equal(issuer, tenant!.Issuer);
        Assert.Equal(issuer + "/.well-known/openid-configuration", tenant.DiscoveryAddress.ToString());
    }

    [Theory]
    [InlineData(null, "Faable:Domain is required")]
    [InlineData("", "Faable:Domain is required")]
    [InlineData("acme.auth.faable.link/", "must not end with '/'")]
    [InlineData("https://acme.auth.faable.link/", "must not end with '/'")]
    [InlineData("https://acme.auth.faable.link/.well-known/openid-configuration", "not an endpoint")]
    [InlineData("https://acme.auth.faable.link/oauth/token", "not an endpoint")]
    [InlineData("https://acme.auth.faable.link/userinfo", "not an endpoint")]
    [InlineData("https://acme.auth.faable.link?x=1", "query")]
    [InlineData(" acme.auth.faable.link", "white space")]
    [InlineData("ftp://acme.auth.faable.link", "not a host or an http(s) URL")]
    public void Validate_BadDomain_NamesTheKeyAndTheFix(string? domain, string expected)
    {
        var error = Assert.Single(Errors(o => o.Domain = domain));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("Faable:Domain", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HttpDomainWithoutOptOut_IsAnError()
    {
        var error = Assert.Single(Errors(o => o.Domain = "http://acme.auth.faable.link"));
        Assert.Contains("Faable:RequireHttpsMetadata=false", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HttpDomainWithOptOut_IsAccepted() =>
        Assert.Empty(Errors(o => { o.Domain = "http://127.0.0.1:5001/_faable"; o.RequireHttpsMetadata = false; }));

    [Fact]
    public void Validate_HttpLoopbackDomainInDevelopment_IsAccepted() =>
        Assert.Empty(Errors(o => o.Domain = "http://127.0.0.1:5001/_faable", development: true));

    [Fact]
    public void Validate_HttpNonLoopbackDomainInDevelopment_IsAnError() =>
        Assert.Single(Errors(o => o.Domain = "http://acme.auth.faable.link", development: true));

    [Fact]
    public void Validate_NoAudience_IsAnError()
    {
        var error = Assert.Single(Errors(o => o.Audience = null));
        Assert.StartsWith("Faable:Audience is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AudiencesOnly_IsAccepted() =>
        Assert.Empty(Errors(o => { o.Audience = null; o.Audiences.Add("urn:orders"); }));

    [Theory]
    [InlineData("https://acme.auth.faable.link")]
    [InlineData("https://acme.auth.faable.link/")]
    [InlineData("https://acme.auth.faable.link/userinfo")]
    public void Validate_AudienceIsTheTenant_IsAnError(string audience)
    {
        var error = Assert.Single(Errors(o => o.Audience = audience));
        Assert.Contains("API identifier", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyMistakes_ReportsEveryErrorAtOnce()
    {
        var errors = Errors(o =>
        {
            o.Domain = "https://acme.auth.faable.link/";
            o.Audience = null;
            o.ClockSkew = TimeSpan.FromMinutes(10);
            o.JwksRefreshCooldown = TimeSpan.Zero;
            o.TokenCacheSize = 0;
        });

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Faable:Domain", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Faable:Audience", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Faable:ClockSkew", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Faable:JwksRefreshCooldown", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Faable:TokenCacheSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InvalidOptions_FailsAtStartupWithAllErrors()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddFaableAuth(o => o.Domain = "https://acme.auth.faable.link/");
        await using var app = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(2, exception.Failures.Count());
        Assert.Contains(exception.Failures, f => f.Contains("Faable:Domain must not end with '/'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("Faable:Audience is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_OtherSection_EveryMessageNamesIt()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Orders:Domain"] = "https://acme.auth.faable.link/",
            ["Auth:Orders:ClockSkew"] = "00:10:00",
        });
        builder.Services.AddFaableAuth(builder.Configuration.GetSection("Auth:Orders"));
        await using var app = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3, exception.Failures.Count());
        Assert.Contains(exception.Failures, f => f.StartsWith("Auth:Orders:Domain must not end with '/'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Auth:Orders:Audience is required", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.StartsWith("Auth:Orders:ClockSkew", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_AreFaables_NotJwtBearers()
    {
        var options = new FaableAuthOptions();
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
        Assert.True(options.RequireHttpsMetadata);
        Assert.Equal(TimeSpan.FromSeconds(30), options.JwksRefreshCooldown);
        Assert.Equal(TimeSpan.FromSeconds(5), options.JwksFetchTimeout);
        Assert.True(options.TokenCacheEnabled);
        Assert.False(options.TrustPermissionsOnly);
    }
}
