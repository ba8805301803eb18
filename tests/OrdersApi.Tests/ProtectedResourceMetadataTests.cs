using System.Net;
using System.Text.Json;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary><c>GET /.well-known/oauth-protected-resource</c> (RFC 9728) of the running sample, and the challenges that point at it.</summary>
[Collection(SampleGroup.Name)]
public sealed class ProtectedResourceMetadataTests(SampleFixture sample)
{
    private const string WellKnown = "/.well-known/oauth-protected-resource";

    [Fact]
    public async Task Metadata_Anonymous_ListsResourceTenantRequiredScopesAndHeaderMethod()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, WellKnown, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var metadata = json.RootElement;
        Assert.Equal(SampleFixture.Audience, metadata.GetProperty("resource").GetString());
        Assert.Equal([sample.Tenant], Strings(metadata.GetProperty("authorization_servers")));
        Assert.Equal(await SampleEndpoints.RequiredScopesAsync(), new SortedSet<string>(Strings(metadata.GetProperty("scopes_supported")), StringComparer.Ordinal));
        Assert.Equal(["header"], Strings(metadata.GetProperty("bearer_methods_supported")));
    }

    [Fact]
    public async Task Metadata_AuthorizationServer_IsTheTenantThatIssuesTheTokens()
    {
        using var response = await sample.SendAsync(HttpMethod.Get, WellKnown, token: null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var server = Assert.Single(Strings(json.RootElement.GetProperty("authorization_servers")));

        // RFC 8414 / OIDC discovery at the announced server names the same issuer as the tokens carry.
        using var discoveryResponse = await sample.Http.GetAsync(server + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);
        using var discovery = JsonDocument.Parse(await discoveryResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(server, discovery.RootElement.GetProperty("issuer").GetString());
        var token = await sample.MachineTokenAsync("read:orders");
        using var payload = JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1]));
        Assert.Equal(server, payload.RootElement.GetProperty("iss").GetString());
    }

    [Theory]
    [InlineData("GET", "/orders")]
    [InlineData("POST", "/orders")]
    [InlineData("GET", "/users")]
    [InlineData("GET", "/me")]
    public async Task Challenge401_ProtectedEndpoint_AnnouncesTheMetadataDocument(string method, string path)
    {
        using var response = await sample.SendAsync(new HttpMethod(method), path, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var url = ResourceMetadataUrl(response);
        Assert.Equal(sample.Origin + WellKnown, url);
        using var metadata = await sample.Http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
    }

    [Fact]
    public async Task Challenge401_EveryProtectedEndpointOfTheSample_IsCoveredByTheTheory()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal) { "GET /orders", "POST /orders", "GET /users", "GET /me" };

        var protectedEndpoints = (await SampleEndpoints.AllAsync()).Where(e => e.RequiresToken).Select(e => $"{e.Method} {e.Path}");

        Assert.Subset(covered, protectedEndpoints.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Challenge403_MissingScope_KeepsScopeAndAnnouncesTheMetadataDocument()
    {
        var token = await sample.MachineTokenAsync("read:users");

        using var response = await sample.SendAsync(HttpMethod.Get, "/orders", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var parameter = Assert.Single(response.Headers.WwwAuthenticate).Parameter!;
        Assert.Contains("error=\"insufficient_scope\"", parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"read:orders\"", parameter, StringComparison.Ordinal);
        Assert.Equal(sample.Origin + WellKnown, ResourceMetadataUrl(response));
    }

    private static string ResourceMetadataUrl(HttpResponseMessage response)
    {
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        const string Name = "resource_metadata=\"";
        var parameter = challenge.Parameter ?? "";
        var start = parameter.IndexOf(Name, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no resource_metadata in '{challenge}'");
        start += Name.Length;
        return parameter[start..parameter.IndexOf('"', start)];
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static byte[] Base64UrlDecode(string segment) => System.Buffers.Text.Base64Url.DecodeFromChars(segment);
}
