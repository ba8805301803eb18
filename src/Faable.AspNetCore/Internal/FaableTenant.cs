using System.Net;

namespace Faable.AspNetCore.Internal;

/// <summary>The tenant URL derived from <see cref="FaableAuthOptions.Domain"/>: the exact issuer and the discovery address.</summary>
internal sealed class FaableTenant
{
    private static readonly string[] EndpointMarkers =
        [".well-known", "/oauth/", "/oauth", "/authorize", "/userinfo", "/jwks", "/token", "/continue", "/login", "/v2/", "/api/"];

    private FaableTenant(Uri issuerUri)
    {
        IssuerUri = issuerUri;
        Issuer = issuerUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        DiscoveryAddress = new Uri(Issuer + "/.well-known/openid-configuration");
        UserInfoAudience = Issuer + "/userinfo";
        IsHttp = issuerUri.Scheme == Uri.UriSchemeHttp;
        IsLoopback = issuerUri.IsLoopback || (IPAddress.TryParse(issuerUri.Host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Gets the issuer: the tenant URL with no trailing slash, compared ordinally with <c>iss</c>.</summary>
    public string Issuer { get; }

    public Uri IssuerUri { get; }

    public Uri DiscoveryAddress { get; }

    /// <summary>Gets the audience of tokens requested without an API audience (RFC: never meant for an API).</summary>
    public string UserInfoAudience { get; }

    public bool IsHttp { get; }

    public bool IsLoopback { get; }

    /// <summary>Parses a configured domain; on failure <paramref name="error"/> names the key (under <paramref name="section"/>) and the fix.</summary>
    public static bool TryParse(string? domain, out FaableTenant? tenant, out string? error, string section = FaableAuthDefaults.ConfigurationSection)
    {
        tenant = null;
        error = null;
        if (string.IsNullOrWhiteSpace(domain))
        {
            error = $"{section}:Domain is required; set it to your tenant, e.g. 'acme.auth.faable.link'.";
            return false;
        }

        if (domain.Trim().Length != domain.Length)
        {
            error = $"{section}:Domain must not start or end with white space; use '{domain.Trim()}'.";
            return false;
        }

        var hasScheme = domain.Contains("://", StringComparison.Ordinal);
        var text = hasScheme ? domain : "https://" + domain;
        if (domain.EndsWith('/'))
        {
            error = $"{section}:Domain must not end with '/' (the issuer has no trailing slash); use '{domain.TrimEnd('/')}'.";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"{section}:Domain '{domain}' is not a host or an http(s) URL; use e.g. 'acme.auth.faable.link' or 'https://acme.auth.faable.link'.";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            error = $"{section}:Domain must not contain a query, fragment or user info; use '{uri.Scheme}://{uri.Authority}'.";
            return false;
        }

        var path = uri.AbsolutePath;
        foreach (var marker in EndpointMarkers)
        {
            if (path.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                error = $"{section}:Domain is the tenant URL, not an endpoint: remove '{path}' and use '{uri.Scheme}://{uri.Authority}'.";
                return false;
            }
        }

        tenant = new FaableTenant(uri);
        return true;
    }
}
