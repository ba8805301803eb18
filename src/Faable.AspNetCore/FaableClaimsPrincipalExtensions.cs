using System.Security.Claims;
using Faable.AspNetCore.Internal;

namespace Faable.AspNetCore;

/// <summary>Reads the claims of a Faable access token as sent (no claim renaming).</summary>
public static class FaableClaimsPrincipalExtensions
{
    /// <summary>Gets <c>sub</c>: a user id, or the client id of a machine token.</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The subject, or <see langword="null"/>.</returns>
    public static string? GetSubject(this ClaimsPrincipal principal) => Single(principal, "sub");

    /// <summary>Gets <c>client_id</c>: the client that obtained the token.</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The client id, or <see langword="null"/>.</returns>
    public static string? GetClientId(this ClaimsPrincipal principal) => Single(principal, "client_id");

    /// <summary>Gets <c>account</c>: the Faable account id.</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The account id, or <see langword="null"/>.</returns>
    public static string? GetAccount(this ClaimsPrincipal principal) => Single(principal, "account");

    /// <summary>Gets the values of <c>scope</c> (string, array or repeated claims).</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The scopes, compared ordinally.</returns>
    public static IReadOnlySet<string> GetScopes(this ClaimsPrincipal principal) => ScopeClaims.Read(principal, ScopeClaims.Scope);

    /// <summary>Gets the values of <c>permissions</c> (string, array or repeated claims).</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The permissions, compared ordinally.</returns>
    public static IReadOnlySet<string> GetPermissions(this ClaimsPrincipal principal) => ScopeClaims.Read(principal, ScopeClaims.Permissions);

    /// <summary>Gets the values of <c>teams</c>.</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The teams, in token order.</returns>
    public static IReadOnlyList<string> GetTeams(this ClaimsPrincipal principal) => All(principal, "teams");

    /// <summary>Gets the values of <c>roles</c>.</summary>
    /// <param name="principal">The caller.</param>
    /// <returns>The roles, in token order.</returns>
    public static IReadOnlyList<string> GetRoles(this ClaimsPrincipal principal) => All(principal, "roles");

    /// <summary>Tells whether <c>scope</c> or <c>permissions</c> grants <paramref name="scope"/> exactly (Faable's merge rule).</summary>
    /// <param name="principal">The caller.</param>
    /// <param name="scope">The scope, e.g. <c>read:orders</c>.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public static bool HasScope(this ClaimsPrincipal principal, string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return ScopeClaims.Granted(principal, permissionsOnly: false).Contains(scope);
    }

    /// <summary>Tells whether <c>permissions</c> grants <paramref name="permission"/> exactly.</summary>
    /// <param name="principal">The caller.</param>
    /// <param name="permission">The permission, e.g. <c>write:orders</c>.</param>
    /// <returns><see langword="true"/> when granted.</returns>
    public static bool HasPermission(this ClaimsPrincipal principal, string permission)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(permission);
        return ScopeClaims.Read(principal, ScopeClaims.Permissions).Contains(permission);
    }

    /// <summary>Tells whether the token is a machine-to-machine token: <c>sub</c> equals <c>client_id</c>.</summary>
    /// <param name="principal">The caller.</param>
    /// <returns><see langword="true"/> for a client-credentials token.</returns>
    public static bool IsMachine(this ClaimsPrincipal principal)
    {
        var subject = principal.GetSubject();
        return subject is not null && string.Equals(subject, principal.GetClientId(), StringComparison.Ordinal);
    }

    private static string? Single(ClaimsPrincipal principal, string type)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(type)?.Value;
    }

    private static List<string> All(ClaimsPrincipal principal, string type)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindAll(type).Select(c => c.Value).ToList();
    }
}
