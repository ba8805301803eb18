namespace Faable.Testing.Internal;

/// <summary>What makes an issuer acceptable: Faable's tenant URL rules.</summary>
internal static class IssuerRules
{
    /// <summary>Returns why <paramref name="issuer"/> is not a valid tenant URL, or <see langword="null"/>.</summary>
    public static string? Validate(string? issuer)
    {
        if (string.IsNullOrWhiteSpace(issuer))
        {
            return "The issuer is required, e.g. 'https://acme.auth.faable.link'.";
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"The issuer '{issuer}' must be an absolute http(s) URL, e.g. 'https://acme.auth.faable.link'.";
        }

        if (issuer.EndsWith('/'))
        {
            return $"The issuer '{issuer}' must not end with '/'; use '{issuer.TrimEnd('/')}'.";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || issuer.Contains('#', StringComparison.Ordinal) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"The issuer '{issuer}' must not carry a query, fragment or user info.";
        }

        return null;
    }
}
