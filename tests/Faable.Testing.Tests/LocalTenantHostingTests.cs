using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Faable.Testing.Tests;

public sealed class LocalTenantHostingTests
{
    [Fact]
    public async Task Discovery_OverHttp_IssuerIsServerAddressPlusPrefix()
    {
        await using var host = await LocalTenantHost.StartAsync();

        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync("_faable/.well-known/openid-configuration", TestContext.Current.CancellationToken));

        Assert.StartsWith("http://127.0.0.1:", host.Issuer, StringComparison.Ordinal);
        Assert.Equal(host.Issuer, doc.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(host.Issuer + "/oauth/token", doc.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Contains("read:orders", doc.RootElement.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Discovery_HostHeaderSpoofed_IssuerStaysFixed()
    {
        await using var host = await LocalTenantHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "_faable/.well-known/openid-configuration");
        request.Headers.Host = "evil.example.com";

        var (status, body, _) = await host.SendJsonAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(host.Issuer, body.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task Discovery_ConfiguredIssuer_IsUsed()
    {
        await using var host = await LocalTenantHost.StartAsync(o => o.Issuer = "https://dev.example.com/_faable");

        var (_, body, _) = await host.SendJsonAsync(new HttpRequestMessage(HttpMethod.Get, "_faable/.well-known/openid-configuration"));

        Assert.Equal("https://dev.example.com/_faable", body.GetProperty("issuer").GetString());
        Assert.Equal("https://dev.example.com/_faable", host.Tenant.Issuer);
    }

    [Fact]
    public async Task Jwks_OverHttp_MatchesTenantKeysAndFollowsRotation()
    {
        await using var host = await LocalTenantHost.StartAsync();
        var before = await host.Client.GetStringAsync("_faable/.well-known/jwks.json", TestContext.Current.CancellationToken);
        var oldToken = host.Tenant.Tenant.CreateUserAccessToken().WithAudience(LocalTenantHost.ApiIdentifier).Build();

        host.Tenant.Tenant.RotateKeys();
        var after = await host.Client.GetStringAsync("_faable/.well-known/jwks.json", TestContext.Current.CancellationToken);

        Assert.Single(JsonDocument.Parse(before).RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(2, JsonDocument.Parse(after).RootElement.GetProperty("keys").GetArrayLength());
        Assert.True((await TestJwt.ValidateAsync(oldToken, after, host.Issuer, LocalTenantHost.ApiIdentifier)).IsValid);
    }

    [Fact]
    public async Task Map_OutsideDevelopment_FailsAtStartupWithClearMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalTenantHost.StartAsync(environment: "Production"));

        Assert.Contains("Development", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowOutsideDevelopment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_OutsideDevelopmentExplicitlyAllowed_Serves()
    {
        await using var host = await LocalTenantHost.StartAsync(o => o.AllowOutsideDevelopment = true, environment: "Production");

        using var response = await host.Client.GetAsync("_faable/.well-known/jwks.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Options_Invalid_ReportsEveryErrorWithItsKey()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Faable:LocalTenant:Issuer"] = "https://dev.example.com/",
            ["Faable:LocalTenant:Clients:0:ClientId"] = "web",
            ["Faable:LocalTenant:Clients:0:CallbackUrls:0"] = "/relative",
            ["Faable:LocalTenant:Clients:1:ClientId"] = "web",
            ["Faable:LocalTenant:Apis:0:Identifier"] = "",
            ["Faable:LocalTenant:Apis:1:Identifier"] = "https://orders.example.com",
            ["Faable:LocalTenant:Apis:1:Scopes:0"] = "read orders",
            ["Faable:LocalTenant:Webhooks:0:Url"] = "https://hooks.example.com/faable",
            ["Faable:LocalTenant:Webhooks:0:Events:0"] = "user.exploded",
        }).Build();
        var services = new ServiceCollection().AddFaableLocalTenant(config.GetSection("Faable:LocalTenant")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FaableLocalTenantOptions>>().Value);

        var all = string.Join("\n", error.Failures);
        Assert.Contains("Faable:LocalTenant:Issuer", all, StringComparison.Ordinal);
        Assert.Contains("Faable:LocalTenant:Clients:0:CallbackUrls:0", all, StringComparison.Ordinal);
        Assert.Contains("Faable:LocalTenant:Clients:1:ClientId 'web' is used twice", all, StringComparison.Ordinal);
        Assert.Contains("Faable:LocalTenant:Apis:0:Identifier", all, StringComparison.Ordinal);
        Assert.Contains("Faable:LocalTenant:Apis:1:Scopes", all, StringComparison.Ordinal);
        Assert.Contains("Faable:LocalTenant:Webhooks:0:Secret", all, StringComparison.Ordinal);
        Assert.Contains("user.exploded", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_FromConfiguration_BindsClientsApisUsersAndWebhooks()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Faable:LocalTenant:Clients:0:ClientId"] = "web",
            ["Faable:LocalTenant:Clients:0:ClientSecret"] = "s3cret",
            ["Faable:LocalTenant:Clients:0:CallbackUrls:0"] = "https://app.example.com/callback",
            ["Faable:LocalTenant:Clients:0:GrantTypes:0"] = "authorization_code",
            ["Faable:LocalTenant:Apis:0:Identifier"] = "https://orders.example.com",
            ["Faable:LocalTenant:Apis:0:Scopes:0"] = "read:orders",
            ["Faable:LocalTenant:Apis:0:PermissionsFormat"] = "JsonArray",
            ["Faable:LocalTenant:Users:0:UserId"] = "user_1",
            ["Faable:LocalTenant:Users:0:Connection"] = "github",
            ["Faable:LocalTenant:Users:0:AppMetadata:plan"] = "pro",
            ["Faable:LocalTenant:Webhooks:0:Url"] = "https://hooks.example.com/faable",
            ["Faable:LocalTenant:Webhooks:0:Secret"] = "whsec_0123456789abcdef01234567",
            ["Faable:LocalTenant:Webhooks:0:Events:0"] = "user.created",
        }).Build();
        var services = new ServiceCollection().AddFaableLocalTenant(config.GetSection("Faable:LocalTenant")).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<FaableLocalTenantOptions>>().Value;

        Assert.Equal("https://app.example.com/callback", Assert.Single(Assert.Single(options.Clients).CallbackUrls));
        Assert.Equal(FaablePermissionsFormat.JsonArray, Assert.Single(options.Apis).PermissionsFormat);
        Assert.Equal("pro", Assert.Single(options.Users).AppMetadata["plan"]);
        Assert.Equal("user.created", Assert.Single(Assert.Single(options.Webhooks).Events));
    }

    [Fact]
    public void Map_WithoutAddFaableLocalTenant_Throws()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapFaableLocalTenant());

        Assert.Contains("AddFaableLocalTenant", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_faable")]
    [InlineData("/_faable/")]
    [InlineData("/")]
    public void Map_BadPrefix_Throws(string prefix)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Services.AddFaableLocalTenant();
        using var app = builder.Build();

        Assert.Throws<ArgumentException>(() => app.MapFaableLocalTenant(prefix));
    }

    [Fact]
    public async Task Map_MissingActionsFolder_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalTenantHost.StartAsync(o => o.ActionsPath = "/nonexistent/actions"));

        Assert.Contains("ActionsPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ActionsFolder_RunsItsActions()
    {
        var folder = Directory.CreateTempSubdirectory("faable-actions-");
        try
        {
            await File.WriteAllTextAsync(
                Path.Combine(folder.FullName, "10-deny-all.js"),
                "exports.onExecutePostLogin = async (event, api) => { api.access.deny('Closed for maintenance.') }",
                TestContext.Current.CancellationToken);
            await using var host = await LocalTenantHost.StartAsync(o => o.ActionsPath = folder.FullName);
            var transaction = await host.BeginAuthorizeAsync(Pkce.Create());

            using var response = await host.SubmitLoginAsync(transaction, ("user_id", LocalTenantHost.KnownUserId));

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Closed for maintenance.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Map_BrokenAction_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<Faable.Actions.ActionScriptException>(() => LocalTenantHost.StartAsync(o =>
            o.Actions.Add(new Faable.Actions.FaableAction("broken", Faable.Actions.ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event, api) => {"))));

        Assert.Equal("broken", error.ActionName);
    }
}
