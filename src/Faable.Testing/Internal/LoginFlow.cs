using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>What happens after the user is identified: the post-login step, then the code to the callback.</summary>
internal sealed class LoginFlow(FaableLocalTenant tenant)
{
    public Task<IResult> StartAsync(HttpContext context, AuthorizationRequest request, FaableLocalUser user, string connection, bool created)
    {
        Log.LoginCompleted(tenant.Logger, user.UserId, request.ClientId, connection, created);
        return Task.FromResult(AuthorizeEndpoint.RedirectWithCode(tenant, request, user.UserId, created));
    }
}
