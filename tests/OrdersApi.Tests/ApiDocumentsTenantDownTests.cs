using System.Net;
using System.Text.Json;
using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>
/// The OpenAPI document and the protected-resource metadata need no tenant to be served: the sample pointed at a
/// tenant that is down, or that goes down, still answers both, anonymously.
/// </summary>
public sealed class ApiDocumentsTenantDownTests
{
    private static readonly string[] Audience = ["--Faable:Audience=" + SampleFixture.Audience];

    [Fact]
    public async Task Documents_TenantUnreachableFromTheStart_AreServedWithTheTenantsConventionalUrls()
    {
        // Nothing listens there: every discovery and key fetch is refused.
        var tenant = $"http://127.0.0.1:{FreePort.Next()}";
        await using var api = await SampleProcess.StartBuiltAsync("Development", ["--Faable:Domain=" + tenant, .. Audience]);
        using var http = NewClient();

        var scheme = await SchemeAsync(http, api.Origin);
        var metadata = await MetadataAsync(http, api.Origin);

        var code = scheme.GetProperty("flows").GetProperty("authorizationCode");
        Assert.Equal(tenant + "/authorize", code.GetProperty("authorizationUrl").GetString());
        Assert.Equal(tenant + "/oauth/token", code.GetProperty("tokenUrl").GetString());
        Assert.Equal(tenant, Assert.Single(metadata.GetProperty("authorization_servers").EnumerateArray()).GetString());
        Assert.Equal(await SampleEndpoints.RequiredScopesAsync(), new SortedSet<string>(metadata.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()!), StringComparer.Ordinal));
    }

    [Fact]
    public async Task Documents_TenantGoesDown_AreStillServedWithWhatItAnnounced()
    {
        // The tenant: another sample process, whose embedded local tenant the API under test trusts over HTTP.
        var tenantHost = await SampleProcess.StartBuiltAsync();
        var tenant = tenantHost.Tenant;
        try
        {
            await using var api = await SampleProcess.StartBuiltAsync("Development", ["--Faable:Domain=" + tenant, .. Audience]);
            using var http = NewClient();
            using var discoveryResponse = await http.GetAsync(tenant + "/.well-known/openid-configuration", TestContext.Current.CancellationToken);
            using var discovery = JsonDocument.Parse(await discoveryResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var schemeWhileUp = (await SchemeAsync(http, api.Origin)).GetRawText();
            var metadataWhileUp = (await MetadataAsync(http, api.Origin)).GetRawText();

            await tenantHost.DisposeAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(tenant + "/.well-known/openid-configuration", TestContext.Current.CancellationToken));

            var schemeWhileDown = await SchemeAsync(http, api.Origin);
            var metadataWhileDown = await MetadataAsync(http, api.Origin);
            Assert.Equal(schemeWhileUp, schemeWhileDown.GetRawText());
            Assert.Equal(metadataWhileUp, metadataWhileDown.GetRawText());
            var code = schemeWhileDown.GetProperty("flows").GetProperty("authorizationCode");
            Assert.Equal(discovery.RootElement.GetProperty("authorization_endpoint").GetString(), code.GetProperty("authorizationUrl").GetString());
            Assert.Equal(discovery.RootElement.GetProperty("token_endpoint").GetString(), code.GetProperty("tokenUrl").GetString());
            Assert.Equal(tenant, Assert.Single(metadataWhileDown.GetProperty("authorization_servers").EnumerateArray()).GetString());
        }
        finally
        {
            await tenantHost.DisposeAsync();
        }
    }

    private static HttpClient NewClient() => new() { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<JsonElement> SchemeAsync(HttpClient http, string origin)
    {
        using var response = await http.GetAsync(origin + "/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Faable").Clone();
    }

    private static async Task<JsonElement> MetadataAsync(HttpClient http, string origin)
    {
        using var response = await http.GetAsync(origin + "/.well-known/oauth-protected-resource", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.Clone();
    }
}
