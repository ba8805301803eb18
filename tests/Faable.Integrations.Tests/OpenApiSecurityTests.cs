using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.AspNetCore;
using Faable.Integrations.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Integrations.Tests;

public sealed class OpenApiSecurityTests
{
    private static async Task<JsonElement> DocumentAsync(Action<Microsoft.AspNetCore.OpenApi.OpenApiOptions> configure, Action<JsonObject>? editDiscovery = null)
    {
        await using var api = await TestApi.StartAsync(
            app =>
            {
                EndpointAuthorizationReportTests.MapSample(app);
                app.MapOpenApi();
            },
            services =>
            {
                services.AddOpenApi(configure);
                if (editDiscovery is not null)
                {
                    services.PostConfigure<FaableAuthOptions>(o => o.BackchannelHttpHandler = new DiscoveryEditor(o.BackchannelHttpHandler!, editDiscovery));
                }
            });
        var json = await api.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static List<List<string>> Security(JsonElement document, string path, string method)
    {
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        if (!operation.TryGetProperty("security", out var security))
        {
            return [];
        }

        return [.. security.EnumerateArray().Select(r => r.GetProperty("Faable").EnumerateArray().Select(s => s.GetString()!).ToList())];
    }

    [Fact]
    public async Task AddFaableSecurity_Scheme_IsOAuth2ForTheTenantWithEveryScopeInUse()
    {
        var document = await DocumentAsync(o => o.AddFaableSecurity());

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable");
        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        var code = scheme.GetProperty("flows").GetProperty("authorizationCode");
        Assert.Equal("https://test-tenant.auth.faable.link/authorize", code.GetProperty("authorizationUrl").GetString());
        Assert.Equal("https://test-tenant.auth.faable.link/oauth/token", code.GetProperty("tokenUrl").GetString());
        Assert.Equal(
            ["admin", "read:orders", "support", "write:orders", "write:refunds"],
            code.GetProperty("scopes").EnumerateObject().Select(p => p.Name).ToList());
        var machine = scheme.GetProperty("flows").GetProperty("clientCredentials");
        Assert.Equal("https://test-tenant.auth.faable.link/oauth/token", machine.GetProperty("tokenUrl").GetString());
        Assert.Contains(TestApi.Audience, scheme.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFaableSecurity_DiscoveryNamesOtherEndpoints_SchemeUsesThem()
    {
        var document = await DocumentAsync(o => o.AddFaableSecurity(), discovery =>
        {
            discovery["authorization_endpoint"] = "https://login.example.com/u/authorize";
            discovery["token_endpoint"] = "https://login.example.com/u/token";
        });

        var flows = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable").GetProperty("flows");
        Assert.Equal("https://login.example.com/u/authorize", flows.GetProperty("authorizationCode").GetProperty("authorizationUrl").GetString());
        Assert.Equal("https://login.example.com/u/token", flows.GetProperty("authorizationCode").GetProperty("tokenUrl").GetString());
        Assert.Equal("https://login.example.com/u/token", flows.GetProperty("clientCredentials").GetProperty("tokenUrl").GetString());
    }

    [Fact]
    public async Task AddFaableSecurity_DiscoveryEndpointsMalformedOrMissing_SchemeFallsBackToTheTenantPaths()
    {
        var document = await DocumentAsync(o => o.AddFaableSecurity(), discovery =>
        {
            discovery["authorization_endpoint"] = "javascript:alert(1)";
            discovery.Remove("token_endpoint");
        });

        var code = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable").GetProperty("flows").GetProperty("authorizationCode");
        Assert.Equal("https://test-tenant.auth.faable.link/authorize", code.GetProperty("authorizationUrl").GetString());
        Assert.Equal("https://test-tenant.auth.faable.link/oauth/token", code.GetProperty("tokenUrl").GetString());
    }

    [Fact]
    public async Task AddFaableSecurity_Operations_CarryTheScopesTheirMetadataDemands()
    {
        var document = await DocumentAsync(o => o.AddFaableSecurity());

        Assert.Equal([["read:orders"]], Security(document, "/orders", "get"));
        var post = Assert.Single(Security(document, "/orders", "post"));
        Assert.Equal(["read:orders", "write:orders"], post.Order(StringComparer.Ordinal));

        // Any-of becomes alternative requirement objects (OpenAPI reads the list as "one of"), each with the all-of permission.
        var refunds = Security(document, "/admin/refunds", "post");
        Assert.Equal(2, refunds.Count);
        Assert.Contains(refunds, r => r.SequenceEqual(["admin", "write:refunds"]));
        Assert.Contains(refunds, r => r.SequenceEqual(["support", "write:refunds"]));

        Assert.Equal([[]], Security(document, "/me", "get"));
        Assert.Empty(Security(document, "/health", "get"));
        Assert.Empty(Security(document, "/open", "get"));
    }

    [Fact]
    public async Task AddFaableSecurity_ProtectedOperations_Document401And403Problems()
    {
        var document = await DocumentAsync(o => o.AddFaableSecurity());
        var paths = document.GetProperty("paths");

        var orders = paths.GetProperty("/orders").GetProperty("get").GetProperty("responses");
        Assert.True(orders.TryGetProperty("401", out var unauthorized));
        Assert.True(orders.TryGetProperty("403", out _));
        Assert.Equal(
            "#/components/schemas/FaableAuthProblem",
            unauthorized.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("FaableAuthProblem", out _));

        var me = paths.GetProperty("/me").GetProperty("get").GetProperty("responses");
        Assert.True(me.TryGetProperty("401", out _));
        Assert.False(me.TryGetProperty("403", out _));

        var open = paths.GetProperty("/open").GetProperty("get").GetProperty("responses");
        Assert.False(open.TryGetProperty("401", out _));
    }

    [Fact]
    public async Task AddFaableSecurity_Options_RenameSchemeDescribeScopesAndDropClientCredentials()
    {
        var document = await DocumentAsync(o => o.AddFaableSecurity(s =>
        {
            s.SchemeName = "Faable";
            s.ScopeDescriptions["read:orders"] = "Read your orders";
            s.IncludeClientCredentialsFlow = false;
        }));

        var flows = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable").GetProperty("flows");
        Assert.False(flows.TryGetProperty("clientCredentials", out _));
        Assert.Equal("Read your orders", flows.GetProperty("authorizationCode").GetProperty("scopes").GetProperty("read:orders").GetString());
    }

    [Fact]
    public async Task AddFaableSecurity_CalledTwice_AddsEachRequirementOnceWithBothConfigurations()
    {
        var document = await DocumentAsync(o =>
        {
            o.AddFaableSecurity();
            o.AddFaableSecurity(s => s.ScopeDescriptions["read:orders"] = "Read your orders");
        });

        Assert.Equal([["read:orders"]], Security(document, "/orders", "get"));
        Assert.Equal(2, Security(document, "/admin/refunds", "post").Count);
        var description = document.GetProperty("paths").GetProperty("/orders").GetProperty("get").GetProperty("description").GetString()!;
        Assert.Single(description.Split('\n'), line => line.Contains("read:orders", StringComparison.Ordinal));
        var flows = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable").GetProperty("flows");
        Assert.Equal("Read your orders", flows.GetProperty("authorizationCode").GetProperty("scopes").GetProperty("read:orders").GetString());
    }

    [Fact]
    public async Task AddFaableSecurity_Sample_DocumentsOrdersScopes()
    {
        await using var sample = new SampleFactory();
        var provider = sample.Services.GetRequiredKeyedService<Microsoft.AspNetCore.OpenApi.IOpenApiDocumentProvider>("v1");
        var openApi = await provider.GetOpenApiDocumentAsync(TestContext.Current.CancellationToken);
        using var writer = new StringWriter();
        openApi.SerializeAsV31(new Microsoft.OpenApi.OpenApiJsonWriter(writer));
        using var json = JsonDocument.Parse(writer.ToString());
        var document = json.RootElement;

        Assert.Equal([["read:orders"]], Security(document, "/orders", "get"));
        Assert.Equal([["write:orders"]], Security(document, "/orders", "post"));
        var scopes = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable")
            .GetProperty("flows").GetProperty("authorizationCode").GetProperty("scopes").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("read:orders", scopes);
        Assert.Contains("write:orders", scopes);
    }

    /// <summary>Serves the tenant's discovery document edited by a test; everything else passes through unchanged.</summary>
    private sealed class DiscoveryEditor(HttpMessageHandler inner, Action<JsonObject> edit) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath != "/.well-known/openid-configuration")
            {
                return response;
            }

            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            edit(document);
            response.Content = new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json");
            return response;
        }
    }
}
