// <snippet:testing-api-test>
using System.Net;
using System.Net.Http.Headers;
using Faable.Testing;
using Microsoft.AspNetCore.Hosting;          // UseFaableTestTenant
using Microsoft.AspNetCore.Mvc.Testing;
// </snippet:testing-api-test>

namespace Faable.Docs.Tests.Root;

// <snippet:testing-api-test>
public sealed class OrdersApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Orders_WithAReadOrdersToken_AreTheCallersOrders()
    {
        using var tenant = new FaableTestTenant();   // in memory: keys, discovery and JWKS, no network
        using var client = factory.WithWebHostBuilder(b => b.UseFaableTestTenant(tenant, audience: "https://orders.example.com"))
                                  .CreateClient();
        var token = tenant.CreateUserAccessToken("user_66f1a2b3c4d5e6f7a8b9c0d1")
            .WithScope("openid profile read:orders")   // aud is the audience given above
            .Build();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync(new Uri("/orders", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("user_66f1a2b3c4d5e6f7a8b9c0d1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
// </snippet:testing-api-test>
