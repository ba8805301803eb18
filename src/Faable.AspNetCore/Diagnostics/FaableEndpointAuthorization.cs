namespace Faable.AspNetCore.Diagnostics;

/// <summary>One endpoint of the application and the authorization it effectively demands.</summary>
public sealed class FaableEndpointAuthorization
{
    internal FaableEndpointAuthorization(
        string route,
        IReadOnlyList<string> methods,
        string displayName,
        bool allowsAnonymous,
        bool requiresAuthentication,
        bool coveredByFallbackPolicy,
        IReadOnlyList<string> scopes,
        string requirements)
    {
        Route = route;
        Methods = methods;
        DisplayName = displayName;
        AllowsAnonymous = allowsAnonymous;
        RequiresAuthentication = requiresAuthentication;
        CoveredByFallbackPolicy = coveredByFallbackPolicy;
        Scopes = scopes;
        Requirements = requirements;
    }

    /// <summary>Gets the route pattern, e.g. <c>/orders/{id}</c>.</summary>
    public string Route { get; }

    /// <summary>Gets the HTTP methods the endpoint answers; empty when it answers every method.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>Gets the endpoint's display name.</summary>
    public string DisplayName { get; }

    /// <summary>Gets a value indicating whether the endpoint carries <c>[AllowAnonymous]</c> (all authorization switched off on purpose).</summary>
    public bool AllowsAnonymous { get; }

    /// <summary>Gets a value indicating whether a request without a valid token is refused (401), by the endpoint's own metadata or the fallback policy.</summary>
    public bool RequiresAuthentication { get; }

    /// <summary>Gets a value indicating whether the endpoint has no metadata of its own and is protected only by the fallback policy.</summary>
    public bool CoveredByFallbackPolicy { get; }

    /// <summary>Gets every scope and permission value the endpoint's requirements name.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>Gets a readable description of the requirements, e.g. <c>scopes all of [read:orders]</c>, or <c>NONE</c>.</summary>
    public string Requirements { get; }

    /// <summary>Gets a value indicating whether anyone can call the endpoint without a token and without an explicit <c>[AllowAnonymous]</c>.</summary>
    public bool IsUnprotected => !RequiresAuthentication && !AllowsAnonymous;
}
