// <snippet:testing-metrics>
using System.Diagnostics.Metrics;
// </snippet:testing-metrics>
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Faable.Docs.Tests.AspNetCore;
// <snippet:testing-tokens>
using Faable.Testing;
// </snippet:testing-tokens>
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
// <snippet:testing-metrics>
using Microsoft.Extensions.Diagnostics.Metrics.Testing;   // package Microsoft.Extensions.Diagnostics.Testing
// </snippet:testing-metrics>
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Faable.Docs.Tests.Testing;

/// <summary>The C# examples of src/Faable.Testing/README.md, run as written.</summary>
public sealed class TestingReadmeTests
{
    [Fact]
    public void Tokens_CarryTheClaimsTheReadmeSays()
    {
        using var tenant = new FaableTestTenant();

        // <snippet:testing-tokens>
        var user = tenant.CreateUserAccessToken("user_66f1a2b3c4d5e6f7a8b9c0d1").Build();   // sub, scope "openid profile email", client_id, account, aud, iss, iat, exp
        var machine = tenant.CreateMachineAccessToken("orders-job").Build();                  // sub = client_id
        var idToken = tenant.CreateIdToken("user_66f1a2b3c4d5e6f7a8b9c0d1").WithClientId("web").WithNonce("n-0S6_WzA2Mj").Build();   // aud = client id, auth_time, nonce

        var admin = tenant.CreateUserAccessToken("user_66f1a2b3c4d5e6f7a8b9c0d1")
            .WithPermissions("read:orders", "write:orders")
            .WithPermissionsFormat(FaablePermissionsFormat.JsonArray)     // or SpaceSeparatedString (the default)
            .WithTeams("team_a").WithRoles("admin")
            .WithClaim("custom", "value").WithoutClaim("client_id")
            .Build();
        // </snippet:testing-tokens>

        var userJwt = new JsonWebToken(user);
        Assert.Equal("openid profile email", userJwt.GetClaim("scope").Value);
        Assert.Equal(tenant.DefaultAudience, userJwt.Audiences.Single());
        var machineJwt = new JsonWebToken(machine);
        Assert.Equal(machineJwt.GetClaim("client_id").Value, machineJwt.Subject);
        var idJwt = new JsonWebToken(idToken);
        Assert.Equal(("web", "n-0S6_WzA2Mj"), (idJwt.Audiences.Single(), idJwt.GetClaim("nonce").Value));
        using var payload = JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlDecode(admin.Split('.')[1])));
        Assert.Equal(JsonValueKind.Array, payload.RootElement.GetProperty("permissions").ValueKind);
        Assert.Equal("value", payload.RootElement.GetProperty("custom").GetString());
        Assert.False(payload.RootElement.TryGetProperty("client_id", out _));
    }

    [Fact]
    public async Task LocalTenant_IssuesTokensTheApiAccepts_AndCountsThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = DocsApi.CreateBuilder(Environments.Development, new Dictionary<string, string?>
        {
            ["Faable:LocalTenant:Issuer"] = "http://localhost/_faable",   // required under TestServer
            ["Faable:LocalTenant:Clients:0:ClientId"] = "orders-job",
            ["Faable:LocalTenant:Clients:0:ClientSecret"] = "orders-job-secret",
            ["Faable:LocalTenant:Clients:0:GrantTypes:0"] = "client_credentials",
            ["Faable:LocalTenant:Apis:0:Identifier"] = "https://orders.example.com",
            ["Faable:LocalTenant:Apis:0:Scopes:0"] = "read:orders",
        });

        // <snippet:testing-local-tenant>
        builder.Services.AddFaableLocalTenant(builder.Configuration.GetSection("Faable:LocalTenant"));
        builder.Services.AddFaableAuth().UseFaableLocalTenant();   // the API trusts the tenant it hosts (keys read in process)
        var app = builder.Build();
        app.UseFaableAuth();
        app.MapFaableLocalTenant("/_faable");
        // </snippet:testing-local-tenant>

        app.MapGet("/orders", () => "ok").RequireScope("read:orders");
        await using (app)
        {
            await app.StartAsync(ct);
            using var client = app.GetTestClient();

            // <snippet:testing-metrics>
            using var issued = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), "Faable.Testing", "faable.testing.tokens_issued");
            // </snippet:testing-metrics>

            using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/_faable/oauth/token", UriKind.Relative))
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("audience", "https://orders.example.com")]),
            };
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("orders-job:orders-job-secret"u8));
            using var tokenResponse = await client.SendAsync(tokenRequest, ct);
            var body = await tokenResponse.Content.ReadAsStringAsync(ct);
            Assert.True(tokenResponse.IsSuccessStatusCode, body);
            using var token = JsonDocument.Parse(body);

            Assert.Equal(200, await DocsApi.StatusAsync(client, HttpMethod.Get, "/orders", token.RootElement.GetProperty("access_token").GetString()));
            var measurement = Assert.Single(issued.GetMeasurementSnapshot());
            Assert.Equal("client_credentials", measurement.Tags["grant_type"]);
        }
    }

    private static byte[] Base64UrlDecode(string segment) =>
        Convert.FromBase64String(segment.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (segment.Length % 4)) % 4));
}
