using Faable.Testing;
using Faable.Testing.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the local Faable tenant's HTTP endpoints.</summary>
public static class FaableLocalTenantEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the local tenant under <paramref name="prefix"/>: discovery, JWKS, <c>/oauth/token</c>, <c>/authorize</c>,
    /// <c>/login</c>, <c>/continue</c>, <c>/userinfo</c>, <c>/oidc/logout</c> and <c>/dev/webhooks/send</c>.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="prefix">
    /// The path the tenant lives under, or <c>""</c> for the server's root (a server of its own); with no configured
    /// issuer, the issuer is the server address plus this prefix.
    /// </param>
    /// <returns>The route group, for further conventions.</returns>
    /// <exception cref="InvalidOperationException">
    /// Outside the Development environment without <see cref="FaableLocalTenantOptions.AllowOutsideDevelopment"/>, or
    /// without <c>AddFaableLocalTenant</c>.
    /// </exception>
    public static RouteGroupBuilder MapFaableLocalTenant(this IEndpointRouteBuilder endpoints, string prefix = "/_faable")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        // An empty prefix serves the tenant at the server's root, as a standalone emulator does.
        if (prefix.Length > 0 && (!prefix.StartsWith('/') || prefix.EndsWith('/') || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The prefix '{prefix}' must start with '/' and not end with '/', e.g. '/_faable', or be empty for the root.", nameof(prefix));
        }

        var services = endpoints.ServiceProvider;
        var tenant = services.GetService<FaableLocalTenant>()
            ?? throw new InvalidOperationException("Call builder.Services.AddFaableLocalTenant(...) before app.MapFaableLocalTenant().");
        var options = services.GetRequiredService<IOptions<FaableLocalTenantOptions>>().Value;
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment() && !options.AllowOutsideDevelopment)
        {
            throw new InvalidOperationException(
                $"The local Faable tenant issues tokens to anyone and is mapped only in Development; the environment is '{environment.EnvironmentName}'. " +
                "Configure a real tenant (Faable:Domain, Faable:Audience) or, for a test host, set Faable:LocalTenant:AllowOutsideDevelopment=true.");
        }

        tenant.SetRoutePrefix(prefix);
        tenant.InitializeActions(environment.ContentRootPath);
        var flow = services.GetRequiredService<LoginFlow>();
        var group = endpoints.MapGroup(prefix);
        group.AllowAnonymous();
        group.MapGet(TenantPaths.Discovery, Run(_ => Task.FromResult(Json(tenant.Tenant.GetDiscoveryDocument()))));
        group.MapGet(TenantPaths.Jwks, Run(_ => Task.FromResult(Json(tenant.Tenant.GetJwks()))));
        group.MapPost(TenantPaths.Token, Run(context => TokenEndpoint.HandleAsync(context, tenant)));
        group.MapGet(TenantPaths.Authorize, Run(context => Task.FromResult(AuthorizeEndpoint.Authorize(context, tenant))));
        group.MapPost(TenantPaths.Login, Run(context => AuthorizeEndpoint.LoginAsync(context, tenant, flow)));
        group.MapMethods(TenantPaths.Continue, ["GET", "POST"], Run(flow.ContinueAsync));
        group.MapMethods(TenantPaths.UserInfo, ["GET", "POST"], Run(context => UserInfoEndpoint.HandleAsync(context, tenant)));
        group.MapGet(TenantPaths.Logout, Run(_ => Task.FromResult(HtmlPages.SignedOut())));
        group.MapPost(TenantPaths.SendWebhook, Run(context => WebhookSendEndpoint.HandleAsync(context, tenant)));
        return group;
    }

    private static RequestDelegate Run(Func<HttpContext, Task<IResult>> handler) => async context =>
    {
        var result = await handler(context).ConfigureAwait(false);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    };

    private static IResult Json(string json) => Results.Text(json, "application/json; charset=utf-8");
}
