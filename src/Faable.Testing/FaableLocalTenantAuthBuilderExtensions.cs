using Faable.AspNetCore;
using Faable.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes an API trust the local tenant it hosts itself.</summary>
public static class FaableLocalTenantAuthBuilderExtensions
{
    /// <summary>
    /// Points <c>AddFaableAuth</c> at the local tenant of this application: the domain becomes the local issuer, the
    /// audience <paramref name="audience"/> (default: the first configured API), and discovery and JWKS are read in
    /// process, so start-up needs no HTTP call to itself.
    /// </summary>
    /// <param name="builder">The result of <c>AddFaableAuth</c>.</param>
    /// <param name="audience">The API identifier tokens must carry.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static FaableAuthBuilder UseFaableLocalTenant(this FaableAuthBuilder builder, string? audience = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<FaableAuthOptions>().PostConfigure<FaableLocalTenant>((options, local) =>
        {
            var tenant = local.Tenant;
            options.Domain = tenant.Issuer;
            options.Audience = audience ?? local.Options.Apis.FirstOrDefault()?.Identifier ?? options.Audience;
            options.Audiences.Clear();
            options.BackchannelHttpHandler = tenant.Handler;
            options.RequireHttpsMetadata = tenant.Issuer.StartsWith(Uri.UriSchemeHttps + "://", StringComparison.Ordinal);
        });
        return builder;
    }
}
