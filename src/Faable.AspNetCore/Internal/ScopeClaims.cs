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

    public static HashSet<string> Read(ClaimsPrincipal principal, string claimType)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var set = new HashSet<string>(StringComparer.Ordinal);
        AddTo(set, principal, claimType);
        return set;
    }

    public static HashSet<string> Granted(ClaimsPrincipal principal, bool permissionsOnly)
    {
        var set = Read(principal, Permissions);
        if (!permissionsOnly)
        {
            AddTo(set, principal, Scope);
        }

        return set;
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
