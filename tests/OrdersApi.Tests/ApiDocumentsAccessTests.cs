using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersApi.Tests;

/// <summary>The two documents stay anonymous when the application makes every other endpoint require a signed-in caller.</summary>
public sealed class ApiDocumentsAccessTests
{
    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/.well-known/oauth-protected-resource")]
    public async Task Document_FallbackPolicyRequiresAuthentication_StillAnonymous(string path)
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseEnvironment("Development")
            .ConfigureServices(services => services.AddAuthorizationBuilder()
                .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())));
        using var client = factory.CreateClient();

        using var document = await client.GetAsync(path, TestContext.Current.CancellationToken);
        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, health.StatusCode);
    }
}
