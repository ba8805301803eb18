using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>Evaluates scope, permission and caller-type requirements against an authenticated principal.</summary>
internal sealed class FaableAuthorizationHandler(IOptions<FaableAuthOptions> options) : IAuthorizationHandler
{
    private readonly bool _permissionsOnly = options.Value.TrustPermissionsOnly;

    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        IReadOnlySet<string>? scopes = null;
        IReadOnlySet<string>? permissions = null;
        var unmet = false;
        foreach (var requirement in context.Requirements)
        {
            switch (requirement)
            {
                case FaableScopeRequirement scope:
                    var granted = scope.Source == ScopeSource.Permissions
                        ? permissions ??= ScopeClaims.Read(context.User, ScopeClaims.Permissions)
                        : scopes ??= ScopeClaims.Granted(context.User, _permissionsOnly);
                    if (scope.IsMetBy(granted))
                    {
                        context.Succeed(requirement);
                    }
                    else
                    {
                        unmet = true;
                    }

                    break;
                case FaableCallerTypeRequirement caller:
                    if (context.User.IsMachine() == (caller.CallerType == FaableCallerType.Machine))
                    {
                        context.Succeed(requirement);
                    }
                    else
                    {
                        unmet = true;
                    }

                    break;
            }
        }

        FaableForbiddenAnswer.NoteFailures(context, unmet);
        return Task.CompletedTask;
    }

    internal IReadOnlySet<string> GrantedFor(System.Security.Claims.ClaimsPrincipal user, ScopeSource source) =>
        source == ScopeSource.Permissions ? ScopeClaims.Read(user, ScopeClaims.Permissions) : ScopeClaims.Granted(user, _permissionsOnly);
}
