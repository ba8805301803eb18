namespace OrdersApi.Users;

/// <summary><c>GET /users</c>: the users table, for operators and support tools.</summary>
public static class UserEndpoints
{
    /// <summary>Maps the users endpoint.</summary>
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/users", (UserDirectory users) => TypedResults.Ok(users.All()))
            .RequireScope("read:users")
            .WithTags("Users");
        return endpoints;
    }
}
