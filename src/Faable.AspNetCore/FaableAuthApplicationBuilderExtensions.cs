namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the Faable resource server to the request pipeline.</summary>
public static class FaableAuthApplicationBuilderExtensions
{
    /// <summary>
    /// Adds authentication and authorization middleware. Call it after <c>UseRouting</c> (implicit with
    /// <c>WebApplication</c>) and before the endpoints.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application, for chaining.</returns>
    public static IApplicationBuilder UseFaableAuth(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
