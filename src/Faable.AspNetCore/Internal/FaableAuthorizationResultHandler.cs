using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Answers a failed scope, permission or caller-type requirement with 403 <c>insufficient_scope</c>, the required
/// <c>scope</c> in the challenge and the required and granted sets in the body; everything else goes to the default handler.
/// </summary>
internal sealed class FaableAuthorizationResultHandler(FaableAuthorizationHandler handler, ILogger<FaableAuthorizationResultHandler> logger)
    : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure)
        {
            var scopes = failure.FailedRequirements.OfType<FaableScopeRequirement>().ToList();
            var callers = failure.FailedRequirements.OfType<FaableCallerTypeRequirement>().ToList();
            if (scopes.Count > 0 || callers.Count > 0)
            {
                return ForbidAsync(context, scopes, callers);
            }
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private Task ForbidAsync(HttpContext context, List<FaableScopeRequirement> scopes, List<FaableCallerTypeRequirement> callers)
    {
        if (scopes.Count == 0)
        {
            var required = callers.Select(c => c.CallerType == FaableCallerType.Machine ? "machine" : "user").Distinct().ToList();
            Log.AccessDenied(logger, string.Join(' ', required), AuthErrors.WrongCallerType.Reason);
            return AuthResponseWriter.WriteAsync(context, AuthErrors.WrongCallerType, null, required: required, granted: [context.User.IsMachine() ? "machine" : "user"]);
        }

        var permissionsOnly = scopes.TrueForAll(s => s.Source == ScopeSource.Permissions);
        var error = permissionsOnly ? AuthErrors.InsufficientPermission : AuthErrors.InsufficientScope;
        var requiredValues = scopes.SelectMany(s => s.Values).Distinct(StringComparer.Ordinal).ToList();
        var granted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in scopes.Select(s => s.Source).Distinct())
        {
            granted.UnionWith(handler.GrantedFor(context.User, source));
        }

        Log.AccessDenied(logger, string.Join(' ', requiredValues), error.Reason);
        return AuthResponseWriter.WriteAsync(context, error, null, required: requiredValues, granted: granted);
    }
}
