using System.Runtime.CompilerServices;
using Faable.AspNetCore.OpenApi;
using Faable.AspNetCore.OpenApi.Internal;
using Microsoft.AspNetCore.OpenApi;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Describes Faable authentication in documents produced by <c>Microsoft.AspNetCore.OpenApi</c>.</summary>
public static class FaableOpenApiOptionsExtensions
{
    // The settings of each document already described, so a second call configures them instead of adding a second
    // copy of every requirement (an app and its test host, or a library and the app, may both call it).
    private static readonly ConditionalWeakTable<OpenApiOptions, FaableOpenApiSecurityOptions> Described = new();

    /// <summary>
    /// Adds an OAuth 2.0 security scheme for the configured tenant (authorization and token URLs derived from
    /// <c>Faable:Domain</c>, every scope the endpoints require) and, per operation, the security requirement with the
    /// scopes its <c>RequireScope</c>, <c>RequireAnyScope</c> and <c>RequirePermission</c> metadata demand, plus the
    /// 401 and 403 problem answers. <c>services.AddOpenApi(o => o.AddFaableSecurity())</c>.
    /// </summary>
    /// <param name="options">The OpenAPI document options.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static OpenApiOptions AddFaableSecurity(this OpenApiOptions options) => AddFaableSecurity(options, _ => { });

    /// <summary>
    /// Adds the Faable security scheme and per-operation requirements, configured by <paramref name="configure"/>.
    /// Calling it again for the same document applies <paramref name="configure"/> to the same settings: the
    /// requirements are added once.
    /// </summary>
    /// <param name="options">The OpenAPI document options.</param>
    /// <param name="configure">Sets the scheme name, scope descriptions and flows.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static OpenApiOptions AddFaableSecurity(this OpenApiOptions options, Action<FaableOpenApiSecurityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        if (Described.TryGetValue(options, out var described))
        {
            configure(described);
            ArgumentException.ThrowIfNullOrWhiteSpace(described.SchemeName, nameof(configure));
            return options;
        }

        var settings = new FaableOpenApiSecurityOptions();
        configure(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.SchemeName, nameof(configure));
        Described.Add(options, settings);
        options.AddOperationTransformer(new FaableSecurityOperationTransformer(settings));
        options.AddDocumentTransformer(new FaableSecurityDocumentTransformer(settings));
        return options;
    }
}
