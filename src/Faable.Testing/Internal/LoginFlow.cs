using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>What happens after the user is identified: the post-login step, then the code to the callback.</summary>
internal sealed class LoginFlow(FaableLocalTenant tenant)
{
    public async Task<IResult> StartAsync(HttpContext context, AuthorizationRequest request, FaableLocalUser user, string connection, bool created)
    {
        if (created)
        {
            await tenant.Webhooks.SendAsync("user.created", WebhookSender.UserPayload(user), context.RequestAborted).ConfigureAwait(false);
        }

        return await CompleteAsync(context, request, user, connection, created).ConfigureAwait(false);
    }

    private async Task<IResult> CompleteAsync(HttpContext context, AuthorizationRequest request, FaableLocalUser user, string connection, bool signup)
    {
        Log.LoginCompleted(tenant.Logger, user.UserId, request.ClientId, connection, signup);
        await tenant.Webhooks.SendAsync("auth.login", WebhookSender.UserPayload(user), context.RequestAborted).ConfigureAwait(false);
        return AuthorizeEndpoint.RedirectWithCode(tenant, request, user.UserId, signup);
    }
}
