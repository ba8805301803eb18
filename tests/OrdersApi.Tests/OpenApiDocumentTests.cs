using System.Net;
using System.Text.Json;
using Microsoft.OpenApi;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>
/// <c>GET /openapi/v1.json</c> of the running sample, compared with what the endpoints' metadata requires (read from
/// the same <c>Program</c> hosted in process), so a scope missing from the document fails here.
/// </summary>
[Collection(SampleGroup.Name)]
public sealed class OpenApiDocumentTests(SampleFixture sample)
{
    private const string SchemeName = "Faable";

    [Fact]
    public async Task Document_Anonymous_IsValidOpenApi3Json()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/openapi/v1.json", token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var (document, diagnostic) = OpenApiDocument.Parse(json, "json");
        Assert.NotNull(document);
        Assert.NotNull(diagnostic);
        Assert.Empty(diagnostic.Errors);
        Assert.True(diagnostic.SpecificationVersion is OpenApiSpecVersion.OpenApi3_0 or OpenApiSpecVersion.OpenApi3_1, $"version {diagnostic.SpecificationVersion}");
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.NotEmpty(document.Paths);
    }

    [Fact]
    public async Task SecurityScheme_IsOAuth2WithTheTenantsDiscoveredEndpointsAndEveryRequiredScope()
    {
        var document = await DocumentAsync();
        using var discoveryResponse = await sample.Http.GetAsync(sample.Tenant + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        using var discovery = JsonDocument.Parse(await discoveryResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var authorizationEndpoint = discovery.RootElement.GetProperty("authorization_endpoint").GetString();
        var tokenEndpoint = discovery.RootElement.GetProperty("token_endpoint").GetString();
        var required = await SampleEndpoints.RequiredScopesAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(SchemeName);

        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        Assert.Contains(sample.Tenant, scheme.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(SampleFixture.Audience, scheme.GetProperty("description").GetString(), StringComparison.Ordinal);
        var flows = scheme.GetProperty("flows");
        var code = flows.GetProperty("authorizationCode");
        Assert.Equal(authorizationEndpoint, code.GetProperty("authorizationUrl").GetString());
        Assert.Equal(tokenEndpoint, code.GetProperty("tokenUrl").GetString());
        Assert.Equal(required, ScopeNames(code));
        var machine = flows.GetProperty("clientCredentials");
        Assert.Equal(tokenEndpoint, machine.GetProperty("tokenUrl").GetString());
        Assert.Equal(required, ScopeNames(machine));
    }

    [Fact]
    public async Task Operations_EachListsExactlyTheScopesItsEndpointRequires()
    {
        var document = await DocumentAsync();
        var endpoints = await SampleEndpoints.AllAsync();
        var checkedProtected = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var endpoint = Assert.Single(endpoints, e => e.Path == path.Name && e.Method == method);
                var requirements = Requirements(operation.Value);
                if (endpoint.RequiresToken)
                {
                    var requirement = Assert.Single(requirements);
                    Assert.Equal(endpoint.Scopes.Order(StringComparer.Ordinal), requirement.Order(StringComparer.Ordinal));
                    checkedProtected++;
                }
                else
                {
                    Assert.Empty(requirements);
                }
            }
        }

        // Every endpoint that demands a token is in the document, so none escapes the comparison above.
        foreach (var endpoint in endpoints.Where(e => e.RequiresToken && !e.ExcludedFromDescription))
        {
            Assert.True(
                document.GetProperty("paths").TryGetProperty(endpoint.Path, out var item) && item.TryGetProperty(endpoint.Method.ToLowerInvariant(), out _),
                $"{endpoint.Method} {endpoint.Path} requires a token but is not in the OpenAPI document.");
        }

        Assert.True(checkedProtected >= 4, $"only {checkedProtected} protected operations were compared");
    }

    [Fact]
    public async Task Operations_Protected_Document401AndTheirScopeOnes403()
    {
        var document = await DocumentAsync();

        var getOrders = document.GetProperty("paths").GetProperty("/orders").GetProperty("get").GetProperty("responses");
        var me = document.GetProperty("paths").GetProperty("/me").GetProperty("get").GetProperty("responses");

        Assert.True(getOrders.TryGetProperty("401", out _));
        Assert.True(getOrders.TryGetProperty("403", out _));
        Assert.True(me.TryGetProperty("401", out _));
        Assert.False(me.TryGetProperty("403", out _), "GET /me needs any valid token: no scope can be missing");
    }

    [Fact]
    public async Task PlaceOrder_DocumentsCreatedAndValidationProblem()
    {
        var document = await DocumentAsync();

        var responses = document.GetProperty("paths").GetProperty("/orders").GetProperty("post").GetProperty("responses");

        Assert.True(responses.TryGetProperty("201", out var created));
        Assert.Equal("#/components/schemas/Order", created.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(responses.TryGetProperty("400", out var invalid));
        Assert.True(invalid.GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task WebhookEndpoint_IsNotDocumentedAsBearerProtected()
    {
        var document = await DocumentAsync();
        var webhook = Assert.Single(await SampleEndpoints.AllAsync(), e => e.DisplayName == "Faable webhooks");

        Assert.False(webhook.RequiresToken);
        if (document.GetProperty("paths").TryGetProperty(webhook.Path, out var item) &&
            item.TryGetProperty(webhook.Method.ToLowerInvariant(), out var operation))
        {
            Assert.Empty(Requirements(operation));
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, "/openapi/v1.json", token: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.Clone();
    }

    private static SortedSet<string> ScopeNames(JsonElement flow) =>
        new(flow.GetProperty("scopes").EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);

    /// <summary>The operation's security requirement objects, each as the scopes it lists for the Faable scheme.</summary>
    private static List<List<string>> Requirements(JsonElement operation)
    {
        if (!operation.TryGetProperty("security", out var security))
        {
            return [];
        }

        var requirements = new List<List<string>>();
        foreach (var requirement in security.EnumerateArray())
        {
            var scheme = Assert.Single(requirement.EnumerateObject());
            Assert.Equal(SchemeName, scheme.Name);
            requirements.Add([.. scheme.Value.EnumerateArray().Select(s => s.GetString()!)]);
        }

        return requirements;
    }
}
