using System.Security.Claims;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Reads <c>scope</c> and <c>permissions</c> in every shape Faable sends: a space-separated string, a JSON array
/// (one claim per element) or repeated claims. Values are compared exactly, never as substrings.
/// </summary>
internal static class ScopeClaims
{
    public const string Scope = "scope";
    public const string Permissions = "permissions";

    public static IReadOnlySet<string> Read(ClaimsPrincipal principal, string claimType)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (Unchanged(principal) is { } token)
        {
            return claimType == Scope ? token.Scopes : token.Permissions;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        AddTo(set, principal, claimType);
        return set;
    }

    public static IReadOnlySet<string> Granted(ClaimsPrincipal principal, bool permissionsOnly)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (Unchanged(principal) is { } token)
        {
            return permissionsOnly ? token.Permissions : token.ScopesAndPermissions;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        AddTo(set, principal, Permissions);
        if (!permissionsOnly)
        {
            AddTo(set, principal, Scope);
        }

        return set;
    }

    /// <summary>Splits the claims of one token (precomputed once per validated token).</summary>
    public static IReadOnlySet<string> Split(IEnumerable<ClaimData> claims, string type, string? otherType)
    {
        var values = new List<string>();
        foreach (var claim in claims)
        {
            if ((claim.Type == type || claim.Type == otherType) && claim.ValueType is not (JsonClaims.JsonValueType or JsonClaims.JsonArrayValueType))
            {
                values.AddRange(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return SmallStringSet.Create(values);
    }

    /// <summary>Returns the token behind a principal made of one unchanged Faable identity, else <see langword="null"/>.</summary>
    private static ValidatedToken? Unchanged(ClaimsPrincipal principal)
    {
        var identities = principal.Identities as IList<ClaimsIdentity>;
        return identities is { Count: 1 } && identities[0] is FaableClaimsIdentity { IsAuthenticated: true, Token: { } token } ? token : null;
    }

    private static void AddTo(HashSet<string> set, ClaimsPrincipal principal, string claimType)
    {
        foreach (var identity in principal.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (var claim in identity.FindAll(claimType))
            {
                if (claim.ValueType is JsonClaims.JsonValueType or JsonClaims.JsonArrayValueType)
                {
                    continue;
                }

                foreach (var part in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    set.Add(part);
                }
            }
        }
    }
}
