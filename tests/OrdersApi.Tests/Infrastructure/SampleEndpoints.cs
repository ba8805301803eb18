using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersApi.Tests.Infrastructure;

/// <summary>
/// The sample's endpoints as its <c>Program</c> maps them (Development, embedded local tenant), read from the
/// routing metadata of an in-process host: the oracle the published documents are compared with.
/// </summary>
internal static class SampleEndpoints
{
    private static readonly Lazy<Task<IReadOnlyList<SampleEndpoint>>> Loaded = new(LoadAsync);

    /// <summary>Every route endpoint with an HTTP method.</summary>
    public static Task<IReadOnlyList<SampleEndpoint>> AllAsync() => Loaded.Value;

    /// <summary>The union of the scopes the endpoints require.</summary>
    public static async Task<SortedSet<string>> RequiredScopesAsync() =>
        new((await AllAsync()).SelectMany(e => e.Scopes), StringComparer.Ordinal);

    private static async Task<IReadOnlyList<SampleEndpoint>> LoadAsync()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var source = factory.Services.GetRequiredService<EndpointDataSource>();
        var endpoints = new List<SampleEndpoint>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                endpoints.Add(SampleEndpoint.From(endpoint, method));
            }
        }

        return endpoints;
    }
}

/// <summary>One endpoint and what its metadata requires of a caller.</summary>
/// <param name="Path">The route, as OpenAPI writes it (no trailing slash).</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="DisplayName">The endpoint's display name.</param>
/// <param name="RequiresToken">Whether authorization metadata asks for an authenticated caller and nothing allows anonymous access.</param>
/// <param name="Scopes">The scopes (and permissions) every <c>RequireScope</c> / <c>RequirePermission</c> demands, all required.</param>
/// <param name="ExcludedFromDescription">Whether the endpoint opted out of API descriptions.</param>
internal sealed record SampleEndpoint(string Path, string Method, string? DisplayName, bool RequiresToken, IReadOnlySet<string> Scopes, bool ExcludedFromDescription)
{
    public static SampleEndpoint From(RouteEndpoint endpoint, string method)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<RequireAnyScopeAttribute>() is not null)
        {
            // Any-of requirements are alternative security requirement objects; this oracle only knows all-of.
            throw new NotSupportedException($"{endpoint.DisplayName} uses RequireAnyScope: teach SampleEndpoints the alternatives before relying on it.");
        }

        var scopes = new SortedSet<string>(StringComparer.Ordinal);
        scopes.UnionWith(metadata.GetOrderedMetadata<RequireScopeAttribute>().SelectMany(a => a.Scopes));
        scopes.UnionWith(metadata.GetOrderedMetadata<RequirePermissionAttribute>().SelectMany(a => a.Permissions));
        var anonymous = metadata.GetMetadata<IAllowAnonymous>() is not null;
        var authorize = metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0 || metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count > 0;
        var raw = endpoint.RoutePattern.RawText ?? "/";
        var path = "/" + raw.Trim('/');
        return new SampleEndpoint(path, method.ToUpperInvariant(), endpoint.DisplayName, authorize && !anonymous, scopes,
            metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true);
    }
}
