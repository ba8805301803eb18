using Faable.AspNetCore;
using Faable.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Points an API's Faable authentication at a <see cref="FaableTestTenant"/>.</summary>
public static class FaableTestTenantServiceCollectionExtensions
{
    /// <summary>
    /// Makes <c>AddFaableAuth</c> trust <paramref name="tenant"/>: <c>Faable:Domain</c> becomes the tenant's issuer,
    /// <c>Faable:Audience</c> becomes <paramref name="audience"/> (default <see cref="FaableTestTenant.DefaultAudience"/>),
    /// and discovery and JWKS are served in process by <see cref="FaableTestTenant.Handler"/>. Applied after every other
    /// configuration, so it wins over <c>appsettings.json</c>. A given <paramref name="audience"/> also becomes the
    /// tenant's <see cref="FaableTestTenant.DefaultAudience"/>, so tokens built without one are accepted.
    /// </summary>
    /// <param name="services">The API's services (which call <c>AddFaableAuth</c>).</param>
    /// <param name="tenant">The test tenant.</param>
    /// <param name="audience">The API identifier tokens must carry.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddFaableTestTenant(this IServiceCollection services, FaableTestTenant tenant, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(tenant);
        if (audience is not null)
        {
            tenant.UseAudience(audience);
        }

        services.PostConfigure<FaableAuthOptions>(options =>
        {
            options.Domain = tenant.Issuer;
            options.Audience = audience ?? tenant.DefaultAudience;
            options.Audiences.Clear();
            options.BackchannelHttpHandler = tenant.Handler;
            options.RequireHttpsMetadata = tenant.Issuer.StartsWith(Uri.UriSchemeHttps + "://", StringComparison.Ordinal);
        });
        return services;
    }
}
