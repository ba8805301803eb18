using Faable.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>The one-liner for <c>WebApplicationFactory</c>: <c>factory.WithWebHostBuilder(b =&gt; b.UseFaableTestTenant(tenant))</c>.</summary>
public static class FaableTestTenantWebHostBuilderExtensions
{
    /// <summary>
    /// Points the application's <c>AddFaableAuth</c> at <paramref name="tenant"/>, with discovery and JWKS served in
    /// process (see <see cref="FaableTestTenantServiceCollectionExtensions.AddFaableTestTenant"/>).
    /// </summary>
    /// <param name="builder">The web host builder, e.g. in <c>WebApplicationFactory.ConfigureWebHost</c>.</param>
    /// <param name="tenant">The test tenant.</param>
    /// <param name="audience">The API identifier tokens must carry; default <see cref="FaableTestTenant.DefaultAudience"/>. When given, it also becomes the tenant's default audience.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IWebHostBuilder UseFaableTestTenant(this IWebHostBuilder builder, FaableTestTenant tenant, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tenant);

        // At once, not when the host is built: a test may build its tokens before the first request.
        if (audience is not null)
        {
            tenant.UseAudience(audience);
        }

        return builder.ConfigureServices(services => services.AddFaableTestTenant(tenant, audience));
    }
}
