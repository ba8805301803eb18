using System.Text;
using Faable.AspNetCore.Diagnostics.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Diagnostics;

/// <summary>
/// Lists every endpoint of the application with its effective scope, permission and policy requirements, flagging
/// the endpoints anyone can call. Registered by <c>AddFaableAuth</c>; logged at start-up in Development.
/// </summary>
public sealed class FaableEndpointAuthorizationReport
{
    private readonly IServiceProvider _services;

    internal FaableEndpointAuthorizationReport(IServiceProvider services)
    {
        _services = services;
    }

    /// <summary>Reads the endpoints as they are now (call it after the endpoints are mapped, e.g. once the application started).</summary>
    /// <returns>The endpoints, ordered by route and methods.</returns>
    public IReadOnlyList<FaableEndpointAuthorization> GetEndpoints()
    {
        var source = _services.GetService<EndpointDataSource>();
        if (source is null)
        {
            return [];
        }

        var fallback = _services.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy;
        var list = new List<FaableEndpointAuthorization>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var requirements = EndpointRequirements.From(endpoint.Metadata);
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? [];
            var byFallback = !requirements.AllowsAnonymous && !requirements.RequiresAuthentication && fallback is not null;
            list.Add(new FaableEndpointAuthorization(
                "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/'),
                [.. methods],
                endpoint.DisplayName ?? string.Empty,
                requirements.AllowsAnonymous,
                requirements.RequiresAuthentication || byFallback,
                byFallback,
                [.. requirements.ScopeValues],
                byFallback ? "fallback policy" : requirements.Describe()));
        }

        return [.. list.OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => string.Join(',', e.Methods), StringComparer.Ordinal)];
    }

    /// <summary>Formats the report as a fixed-width text table; unprotected endpoints are marked with <c>!</c>.</summary>
    /// <returns>The table, one endpoint per line after a header.</returns>
    public string FormatTable() => FormatTable(GetEndpoints());

    internal static string FormatTable(IReadOnlyList<FaableEndpointAuthorization> endpoints)
    {
        const string MethodsHeader = "METHODS";
        const string RouteHeader = "ROUTE";
        var methods = endpoints.Select(e => e.Methods.Count == 0 ? "*" : string.Join(',', e.Methods)).ToList();
        var methodWidth = Math.Max(MethodsHeader.Length, methods.DefaultIfEmpty(string.Empty).Max(m => m.Length));
        var routeWidth = Math.Max(RouteHeader.Length, endpoints.Select(e => e.Route.Length).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        text.Append("  ").Append(MethodsHeader.PadRight(methodWidth)).Append("  ").Append(RouteHeader.PadRight(routeWidth)).Append("  REQUIREMENTS").AppendLine();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            text.Append(endpoint.IsUnprotected ? "! " : "  ")
                .Append(methods[i].PadRight(methodWidth)).Append("  ")
                .Append(endpoint.Route.PadRight(routeWidth)).Append("  ")
                .Append(endpoint.Requirements).AppendLine();
        }

        var open = endpoints.Count(e => e.IsUnprotected);
        text.Append(open == 0
            ? "Every endpoint requires a token or is marked [AllowAnonymous]."
            : $"! {open} endpoint(s) have no authorization requirement: anyone can call them.");
        return text.ToString();
    }
}
