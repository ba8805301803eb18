using System.Net;
using Faable.AspNetCore.Diagnostics;
using Faable.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.Testing.Tests;

/// <summary>
/// The webhook endpoint in an API protected by Faable tokens: authenticated by its signature, so anonymous to ASP.NET
/// Core's authorization and reported as such.
/// </summary>
public sealed class WebhookEndpointAuthorizationTests
{
    private const string Secret = "whsec_endpoint_authorization_0001";

    [Fact]
    public async Task FallbackPolicy_RequiringAuthenticatedUser_StillAcceptsSignedDeliveries()
    {
        using var tenant = new FaableTestTenant();
        await using var app = await StartApiAsync(tenant, fallbackPolicy: true);
        using var client = app.GetTestClient();
        var delivery = new FaableWebhookSigner(Secret).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}""");
        var ct = TestContext.Current.CancellationToken;

        using var accepted = await client.SendAsync(delivery.CreateRequest(new Uri("/hooks/faable", UriKind.Relative)), ct);
        using var unsigned = await client.PostAsync("/hooks/faable", new StringContent("{}"), ct);
        using var open = await client.GetAsync("/open", ct);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // The signature still decides: an unsigned request is refused by the endpoint itself, with its own reason.
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("application/problem+json", unsigned.Content.Headers.ContentType?.MediaType);
        Assert.Contains("missing_timestamp", await unsigned.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        // The fallback policy is in force for every other endpoint without metadata.
        Assert.Equal(HttpStatusCode.Unauthorized, open.StatusCode);
    }

    [Fact]
    public async Task Report_WebhookEndpoint_IsLabelledSignatureAndNotWarnedAbout()
    {
        using var tenant = new FaableTestTenant();
        await using var app = await StartApiAsync(tenant, fallbackPolicy: false);
        var report = app.Services.GetRequiredService<FaableEndpointAuthorizationReport>();

        var endpoints = report.GetEndpoints();
        var table = report.FormatTable();

        var hooks = Assert.Single(endpoints, e => e.Route == "/hooks/faable");
        Assert.True(hooks.AllowsAnonymous);
        Assert.False(hooks.IsUnprotected);
        Assert.StartsWith("signature (X-Faable-Signature", hooks.Requirements, StringComparison.Ordinal);
        Assert.Single(table.Split('\n'), l => l.StartsWith("  POST", StringComparison.Ordinal) && l.Contains("/hooks/faable", StringComparison.Ordinal) && l.Contains("signature", StringComparison.Ordinal));

        // An endpoint that is really open is still flagged, and only that one.
        var warnings = app.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 1101).ToList();
        Assert.Contains(warnings, r => r.Message.Contains("/open", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, r => r.Message.Contains("/hooks/faable", StringComparison.Ordinal));
        Assert.Equal("anonymous ([AllowAnonymous])", Assert.Single(endpoints, e => e.Route == "/health").Requirements);
    }

    private static async Task<WebApplication> StartApiAsync(FaableTestTenant tenant, bool fallbackPolicy)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddLogging(b => b.AddFakeLogging());
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = "placeholder.auth.faable.link";
            o.Audience = "https://orders.example.com";
        });
        builder.WebHost.UseFaableTestTenant(tenant, "https://orders.example.com");
        if (fallbackPolicy)
        {
            builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        }

        builder.Services.AddFaableWebhooks(o => o.Secret = Secret);
        var app = builder.Build();
        app.UseFaableAuth();
        app.MapFaableWebhooks("/hooks/faable");
        app.MapGet("/open", () => "anyone");
        app.MapGet("/health", () => "ok").AllowAnonymous();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}
