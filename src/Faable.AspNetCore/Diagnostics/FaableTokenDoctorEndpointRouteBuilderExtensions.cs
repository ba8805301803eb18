using Faable.AspNetCore.Diagnostics;
using Faable.AspNetCore.Diagnostics.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the token doctor as a Development-only endpoint.</summary>
public static class FaableTokenDoctorEndpointRouteBuilderExtensions
{
    /// <summary>The default route of the token doctor.</summary>
    public const string DefaultPattern = "/_faable/token-doctor";

    /// <summary>Maps <c>POST /_faable/token-doctor</c> (see <see cref="MapFaableTokenDoctor(IEndpointRouteBuilder, string)"/>).</summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapFaableTokenDoctor(this IEndpointRouteBuilder endpoints) =>
        MapFaableTokenDoctor(endpoints, DefaultPattern);

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: the body is the token (<c>text/plain</c>, or JSON <c>{"token":"…"}</c>);
    /// with an empty body the request's own bearer token is examined. Answers with every check of
    /// <see cref="FaableTokenDoctor"/> as JSON. Outside the Development environment it answers 404. The token is never
    /// logged nor echoed back, and is not accepted from the query string.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapFaableTokenDoctor(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return endpoints.MapPost(pattern, TokenDoctorEndpoint.HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithDisplayName("Faable token doctor")
            .ExcludeFromDescription();
    }
}
