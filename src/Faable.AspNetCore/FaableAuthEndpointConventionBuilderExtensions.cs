using Faable.AspNetCore.Authorization;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Scope, permission and caller-type requirements for minimal API endpoints and route groups.</summary>
public static class FaableAuthEndpointConventionBuilderExtensions
{
    /// <summary>Requires every listed scope (see <see cref="RequireScopeAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="scopes">The scopes; at least one.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or holds an invalid value.</exception>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        Add(builder, new RequireScopeAttribute(scopes));

    /// <summary>Requires at least one of the listed scopes (see <see cref="RequireAnyScopeAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="scopes">The scopes; at least one.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="scopes"/> is empty or holds an invalid value.</exception>
    public static TBuilder RequireAnyScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        Add(builder, new RequireAnyScopeAttribute(scopes));

    /// <summary>Requires every listed permission, read from <c>permissions</c> only (see <see cref="RequirePermissionAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="permissions">The permissions; at least one.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="permissions"/> is empty or holds an invalid value.</exception>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, params string[] permissions)
        where TBuilder : IEndpointConventionBuilder =>
        Add(builder, new RequirePermissionAttribute(permissions));

    /// <summary>Requires a user token or a machine token (see <see cref="RequireCallerTypeAttribute"/>).</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="callerType">The kind of caller allowed.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder RequireCallerType<TBuilder>(this TBuilder builder, FaableCallerType callerType)
        where TBuilder : IEndpointConventionBuilder =>
        Add(builder, new RequireCallerTypeAttribute(callerType));

    private static TBuilder Add<TBuilder>(TBuilder builder, Attribute metadata)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
