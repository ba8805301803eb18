using Faable.AspNetCore.Diagnostics;
using Faable.Integrations.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Integrations.Tests;

public sealed class EndpointAuthorizationReportTests
{
    internal static void MapSample(WebApplication app)
    {
        app.MapGet("/orders", () => "orders").RequireScope("read:orders");
        app.MapPost("/orders", () => "created").RequireScope("write:orders", "read:orders");
        var admin = app.MapGroup("/admin").RequireAnyScope("admin", "support");
        admin.MapPost("/refunds", () => "refunded").RequirePermission("write:refunds");
        app.MapGet("/me", () => "me").RequireAuthorization();
        app.MapGet("/health", () => "ok").AllowAnonymous();
        app.MapGet("/open", () => "anyone");
        app.MapGet("/jobs", () => "jobs").RequireCallerType(Faable.AspNetCore.Authorization.FaableCallerType.Machine);
    }

    [Fact]
    public async Task GetEndpoints_MixedRequirements_ReportsEffectiveRequirementsAndFlagsOpenEndpoints()
    {
        await using var api = await TestApi.StartAsync(MapSample);
        var report = api.Services.GetRequiredService<FaableEndpointAuthorizationReport>();

        var endpoints = report.GetEndpoints();

        var getOrders = Assert.Single(endpoints, e => e.Route == "/orders" && e.Methods.SequenceEqual(["GET"]));
        Assert.Equal(["read:orders"], getOrders.Scopes);
        Assert.True(getOrders.RequiresAuthentication);
        Assert.False(getOrders.IsUnprotected);
        Assert.Contains("scopes all of [read:orders]", getOrders.Requirements, StringComparison.Ordinal);

        var refunds = Assert.Single(endpoints, e => e.Route == "/admin/refunds");
        Assert.Equal(["admin", "support", "write:refunds"], refunds.Scopes);
        Assert.Contains("scopes any of [admin support]", refunds.Requirements, StringComparison.Ordinal);
        Assert.Contains("permissions all of [write:refunds]", refunds.Requirements, StringComparison.Ordinal);

        var me = Assert.Single(endpoints, e => e.Route == "/me");
        Assert.True(me.RequiresAuthentication);
        Assert.Empty(me.Scopes);
        Assert.Equal("authenticated (any valid token)", me.Requirements);

        var health = Assert.Single(endpoints, e => e.Route == "/health");
        Assert.True(health.AllowsAnonymous);
        Assert.False(health.IsUnprotected);

        var open = Assert.Single(endpoints, e => e.Route == "/open");
        Assert.True(open.IsUnprotected);
        Assert.Equal("NONE", open.Requirements);

        Assert.Contains("machine callers only", Assert.Single(endpoints, e => e.Route == "/jobs").Requirements, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormatTable_OpenEndpoint_IsMarkedAndCounted()
    {
        await using var api = await TestApi.StartAsync(MapSample);
        var table = api.Services.GetRequiredService<FaableEndpointAuthorizationReport>().FormatTable();

        var openLine = Assert.Single(table.Split('\n'), l => l.Contains("/open", StringComparison.Ordinal));
        Assert.StartsWith("! ", openLine, StringComparison.Ordinal);
        var ordersLine = Assert.Single(table.Split('\n'), l => l.Contains("GET", StringComparison.Ordinal) && l.Contains("/orders", StringComparison.Ordinal));
        Assert.StartsWith("  ", ordersLine, StringComparison.Ordinal);
        Assert.Contains("! 1 endpoint(s) have no authorization requirement", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEndpoints_FallbackPolicy_CoversEndpointsWithoutMetadata()
    {
        await using var api = await TestApi.StartAsync(
            MapSample,
            services => services.AddAuthorizationBuilder().SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()));

        var open = Assert.Single(api.Services.GetRequiredService<FaableEndpointAuthorizationReport>().GetEndpoints(), e => e.Route == "/open");

        Assert.True(open.CoveredByFallbackPolicy);
        Assert.False(open.IsUnprotected);
        var response = await api.Client.GetAsync("/open", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Startup_Development_LogsTableAndWarnsPerOpenEndpoint()
    {
        await using var api = await TestApi.StartAsync(MapSample, environment: "Development");

        var records = api.Logs.GetSnapshot();
        var table = Assert.Single(records, r => r.Id.Id == 1100);
        Assert.Contains("/admin/refunds", table.Message, StringComparison.Ordinal);
        var warning = Assert.Single(records, r => r.Id.Id == 1101);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("/open", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_Production_DoesNotLogTheReport()
    {
        await using var api = await TestApi.StartAsync(MapSample, environment: "Production");

        Assert.DoesNotContain(api.Logs.GetSnapshot(), r => r.Id.Id is 1100 or 1101);
        Assert.NotEmpty(api.Services.GetRequiredService<FaableEndpointAuthorizationReport>().GetEndpoints());
    }

    [Fact]
    public async Task GetEndpoints_RequirementsMatchWhatTheMiddlewareEnforces()
    {
        await using var api = await TestApi.StartAsync(MapSample);
        var token = api.Tenant.CreateUserAccessToken().WithScopes("read:orders").Build();
        var ct = TestContext.Current.CancellationToken;

        // An endpoint the report calls open answers without a token; one with requirements does not.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.Client.GetAsync("/open", ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.Client.GetAsync("/orders", ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.Client.SendAsync(TestApi.Get("/orders", token), ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await api.Client.SendAsync(TestApi.Get("/jobs", token), ct)).StatusCode);
    }
}
