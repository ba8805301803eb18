using System.Net;
using System.Text.Json;
using Faable.Integrations.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Faable.Integrations.Tests;

public sealed class ProtectedResourceMetadataTests
{
    private const string WellKnown = "/.well-known/oauth-protected-resource";

    private static Task<TestApi> StartAsync(Action<Faable.AspNetCore.ProtectedResource.FaableProtectedResourceOptions>? configure = null, bool map = true) =>
        TestApi.StartAsync(app =>
        {
            EndpointAuthorizationReportTests.MapSample(app);
            if (map)
            {
                app.MapFaableProtectedResourceMetadata(configure ?? (_ => { }));
            }
        });

    [Fact]
    public async Task Metadata_Default_ListsResourceTenantScopesAndHeaderMethod()
    {
        await using var api = await StartAsync();

        var response = await api.Client.GetAsync(WellKnown, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(TestApi.Audience, root.GetProperty("resource").GetString());
        Assert.Equal([api.Tenant.Issuer], root.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["admin", "read:orders", "support", "write:orders", "write:refunds"],
            root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["header"], root.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Challenge_MissingToken_AnnouncesResourceMetadata()
    {
        await using var api = await StartAsync();

        var response = await api.Client.GetAsync("/orders", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal($"resource_metadata=\"{new Uri(api.BaseAddress, WellKnown)}\"", challenge.Parameter);
    }

    [Fact]
    public async Task Challenge_InvalidToken_KeepsErrorAndAddsResourceMetadata()
    {
        await using var api = await StartAsync();
        var token = api.Tenant.CreateUserAccessToken().WithScopes("read:orders").Expired().Build();

        var response = await api.Client.SendAsync(TestApi.Get("/orders", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var parameter = Assert.Single(response.Headers.WwwAuthenticate).Parameter!;
        Assert.StartsWith("error=\"invalid_token\"", parameter, StringComparison.Ordinal);
        Assert.EndsWith($", resource_metadata=\"{new Uri(api.BaseAddress, WellKnown)}\"", parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_InsufficientScope_KeepsScopeAndAddsResourceMetadata()
    {
        await using var api = await StartAsync();
        var token = api.Tenant.CreateUserAccessToken().WithScopes("profile").Build();

        var response = await api.Client.SendAsync(TestApi.Get("/orders", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var parameter = Assert.Single(response.Headers.WwwAuthenticate).Parameter!;
        Assert.StartsWith("error=\"insufficient_scope\"", parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"read:orders\"", parameter, StringComparison.Ordinal);
        Assert.EndsWith($", resource_metadata=\"{new Uri(api.BaseAddress, WellKnown)}\"", parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_InsufficientPermission_AddsResourceMetadata()
    {
        await using var api = await StartAsync();
        var token = api.Tenant.CreateUserAccessToken().WithScopes("admin").Build();

        var response = await api.Client.SendAsync(TestApi.Post("/admin/refunds", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var parameter = Assert.Single(response.Headers.WwwAuthenticate).Parameter!;
        Assert.EndsWith($", resource_metadata=\"{new Uri(api.BaseAddress, WellKnown)}\"", parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_WrongCallerType_HasNoResourceMetadata()
    {
        // No new token from the same kind of caller cures this 403, so nothing points the client at a step-up.
        await using var api = await StartAsync();
        var token = api.Tenant.CreateUserAccessToken().Build();

        var response = await api.Client.SendAsync(TestApi.Get("/jobs", token), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("resource_metadata", Assert.Single(response.Headers.WwwAuthenticate).Parameter!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_MetadataNotMapped_HasNoResourceMetadata()
    {
        await using var api = await StartAsync(map: false);

        var response = await api.Client.GetAsync("/orders", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(Assert.Single(response.Headers.WwwAuthenticate).Parameter);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync(WellKnown, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Metadata_ResourceWithPath_IsServedUnderTheWellKnownPrefixPlusPath()
    {
        await using var api = await StartAsync(o =>
        {
            o.Resource = "https://api.example.com/orders";
            o.ResourceName = "Orders";
            o.AdditionalScopes.Add("offline:extra");
            o.MetadataUri = new Uri("https://api.example.com/.well-known/oauth-protected-resource/orders");
        });
        var ct = TestContext.Current.CancellationToken;

        var response = await api.Client.GetAsync(WellKnown + "/orders", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("https://api.example.com/orders", json.RootElement.GetProperty("resource").GetString());
        Assert.Equal("Orders", json.RootElement.GetProperty("resource_name").GetString());
        Assert.Contains("offline:extra", json.RootElement.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync(WellKnown, ct)).StatusCode);

        var challenge = await api.Client.GetAsync("/orders", ct);
        Assert.Equal("resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/orders\"", Assert.Single(challenge.Headers.WwwAuthenticate).Parameter);
    }

    [Fact]
    public async Task Metadata_AnnounceInChallengesOff_ServesDocumentWithoutTouchingChallenges()
    {
        await using var api = await StartAsync(o => o.AnnounceInChallenges = false);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync(WellKnown, ct)).StatusCode);
        Assert.Null(Assert.Single((await api.Client.GetAsync("/orders", ct)).Headers.WwwAuthenticate).Parameter);
    }
}
