using Faable.AspNetCore;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.ProtectedResource;
using Faable.AspNetCore.ProtectedResource.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves RFC 9728 OAuth 2.0 protected-resource metadata, the document agent and MCP clients look for.</summary>
public static class FaableProtectedResourceEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET /.well-known/oauth-protected-resource</c> with <c>resource</c> (the audience),
    /// <c>authorization_servers</c> (the tenant), <c>scopes_supported</c> (collected from the endpoints' requirements)
    /// and <c>bearer_methods_supported</c>, and from then on adds <c>resource_metadata</c> to 401 challenges and to 403 <c>insufficient_scope</c> challenges for missing scopes or permissions.
    /// Requires <c>AddFaableAuth</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapFaableProtectedResourceMetadata(this IEndpointRouteBuilder endpoints) =>
        MapFaableProtectedResourceMetadata(endpoints, _ => { });

    /// <summary>Maps the protected-resource metadata document with settings set by <paramref name="configure"/>.</summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="configure">Sets the resource identifier, name, documentation link and announced metadata URL.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddFaableAuth</c> was not called, or no resource identifier is configured.</exception>
    public static IEndpointConventionBuilder MapFaableProtectedResourceMetadata(this IEndpointRouteBuilder endpoints, Action<FaableProtectedResourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(configure);
        var services = endpoints.ServiceProvider;
        var state = services.GetService<ProtectedResourceState>()
            ?? throw new InvalidOperationException("Call services.AddFaableAuth(...) before MapFaableProtectedResourceMetadata().");
        var auth = services.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
        var settings = services.GetService<IOptions<FaableProtectedResourceOptions>>()?.Value ?? new FaableProtectedResourceOptions();
        configure(settings);
        var resource = ProtectedResourceDocument.ResourceOf(settings, auth)
            ?? throw new InvalidOperationException("No resource identifier: set Faable:Audience or FaableProtectedResourceOptions.Resource.");
        if (!FaableTenant.TryParse(auth.Domain, out var tenant, out var error))
        {
            throw new InvalidOperationException(error);
        }

        if (settings.MetadataUri is { IsAbsoluteUri: false })
        {
            throw new InvalidOperationException("FaableProtectedResourceOptions.MetadataUri must be an absolute URL.");
        }

        var path = ProtectedResourceDocument.PathFor(resource);
        byte[]? body = null;
        var builder = endpoints.MapGet(path, (HttpContext context) =>
        {
            // Endpoints are complete once requests flow, so the document is built once, on first use.
            body ??= ProtectedResourceDocument.Write(
                resource,
                tenant!.Issuer,
                ProtectedResourceDocument.CollectScopes(context.RequestServices.GetService<EndpointDataSource>(), settings),
                settings);
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(body, "application/json");
        });
        builder.AllowAnonymous().WithDisplayName("Faable protected-resource metadata").ExcludeFromDescription();
        if (settings.AnnounceInChallenges)
        {
            state.Announce(path, settings.MetadataUri);
        }

        return builder;
    }
}
