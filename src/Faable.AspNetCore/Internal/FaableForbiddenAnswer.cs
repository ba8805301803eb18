using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// The 403 answer of a failed scope, permission or caller-type requirement: <c>insufficient_scope</c>, the required
/// <c>scope</c> in the challenge and the required and granted sets in the body. Faable registers no
/// <see cref="IAuthorizationMiddlewareResultHandler"/>: the requirements that failed are noted on the request while
/// they are evaluated, and the answer is written by the scheme's forbid (JwtBearer's <c>OnForbidden</c>), which the
/// framework's default result handler calls, and so does an application's own handler when it delegates to it. An
/// application that customises authorization results therefore keeps its behaviour, whatever the registration order.
/// </summary>
internal sealed class FaableForbiddenAnswer(FaableAuthorizationHandler handler, ILogger<FaableForbiddenAnswer> logger)
{
    /// <summary>
    /// Notes the Faable requirements a policy evaluation left unmet on the request being authorized, or clears what an
    /// earlier evaluation of the same request noted. <paramref name="anyUnmet"/> says whether the Faable handler met
    /// all the Faable requirements it saw; when it did, nothing is allocated.
    /// </summary>
    public static void NoteFailures(AuthorizationHandlerContext context, bool anyUnmet)
    {
        if (context.Resource is not HttpContext http)
        {
            return;
        }

        // A request feature rather than HttpContext.Items: reading it allocates nothing on the request's success path.
        if (anyUnmet)
        {
            // The pending ones, not the ones this handler failed: another handler may have met one of them first.
            var failed = context.PendingRequirements.Where(r => r is FaableScopeRequirement or FaableCallerTypeRequirement).ToList();
            http.Features.Set(failed.Count > 0 ? new UnmetRequirements(failed) : null);
        }
        else if (http.Features.Get<UnmetRequirements>() is not null)
        {
            http.Features.Set<UnmetRequirements>(null);
        }
    }

    public Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failed = context.Features.Get<UnmetRequirements>()?.Requirements;
        var scopes = failed?.OfType<FaableScopeRequirement>().ToList() ?? [];
        var callers = failed?.OfType<FaableCallerTypeRequirement>().ToList() ?? [];
        if (scopes.Count == 0 && callers.Count == 0)
        {
            return AuthResponseWriter.WriteAsync(context, AuthErrors.Forbidden, null);
        }

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

    /// <summary>The request feature holding the Faable requirements the last policy evaluation left unmet.</summary>
    private sealed class UnmetRequirements(List<IAuthorizationRequirement> requirements)
    {
        public List<IAuthorizationRequirement> Requirements { get; } = requirements;
    }
}
