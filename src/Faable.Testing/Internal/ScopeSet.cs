namespace Faable.Testing.Internal;

/// <summary>Parsing and checking of space-delimited scope strings (RFC 6749 §3.3).</summary>
internal static class ScopeSet
{
    public static readonly string[] OpenIdScopes = ["openid", "profile", "email", "offline_access"];

    /// <summary>Splits <paramref name="scope"/>; returns <see langword="null"/> when a token has characters outside NQCHAR.</summary>
    public static List<string>? Parse(string? scope)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(scope))
        {
            return result;
        }

        foreach (var token in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!token.All(c => c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)))
            {
                return null;
            }

            if (!result.Contains(token, StringComparer.Ordinal))
            {
                result.Add(token);
            }
        }

        return result;
    }

    public static bool IsOpenIdScope(string scope) => OpenIdScopes.Contains(scope, StringComparer.Ordinal);
}
