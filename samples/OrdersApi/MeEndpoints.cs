using Faable.AspNetCore;

namespace OrdersApi;

/// <summary><c>GET /me</c>: who is calling.</summary>
public static class MeEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/me", (HttpContext context) =>
        {
            var caller = context.User;
            return TypedResults.Ok(new Caller(
                caller.GetSubject(),
                caller.IsMachine() ? "machine" : "user",
                caller.GetClientId(),
                [.. caller.GetScopes().Order(StringComparer.Ordinal)],
                [.. caller.GetPermissions().Order(StringComparer.Ordinal)]));
        }).RequireAuthorization().WithTags("Me");
        return endpoints;
    }

    /// <summary>The caller, as the access token describes it.</summary>
    public sealed record Caller(string? Subject, string Kind, string? ClientId, IReadOnlyList<string> Scopes, IReadOnlyList<string> Permissions);
}
