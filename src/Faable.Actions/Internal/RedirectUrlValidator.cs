using System.Net;

namespace Faable.Actions.Internal;

/// <summary>
/// Decides whether a URL given to <c>api.redirect.sendUserTo</c> may receive the browser. One rule set, used by
/// both runtimes and by the flow engine, so that no path redirects to a URL another path would refuse.
/// </summary>
internal static class RedirectUrlValidator
{
    private static readonly string[] s_refusedSchemes = ["javascript:", "data:", "vbscript:", "file:", "blob:"];

    /// <summary>Checks <paramref name="url"/>; returns <see langword="null"/> when it is acceptable, else why not.</summary>
    /// <param name="url">The URL as the action gave it.</param>
    /// <param name="maxLength">The longest URL accepted (<see cref="ActionLimits.MaxRedirectUrlLength"/>).</param>
    /// <param name="allowHttpLoopback">Whether <c>http://</c> to a loopback host is accepted (development).</param>
    public static string? Validate(string? url, int maxLength, bool allowHttpLoopback)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "sendUserTo needs an absolute https:// URL; it was given an empty value.";
        }

        if (url.Length > maxLength)
        {
            return $"the URL has {url.Length} characters; at most {maxLength} are accepted (ActionLimits.MaxRedirectUrlLength).";
        }

        // Browsers drop ASCII tabs and newlines inside a scheme ("java\tscript:"), so the scheme is judged on the
        // URL with every control character and space removed (WHATWG URL §4.4, "remove all ASCII tab or newline").
        var squeezed = Squeeze(url);
        foreach (var scheme in s_refusedSchemes)
        {
            if (squeezed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return $"'{scheme}' URLs are refused; redirect to an https:// page.";
            }
        }

        foreach (var c in url)
        {
            if (c is '\r' or '\n')
            {
                return "the URL contains CR or LF characters (header injection).";
            }

            if (char.IsControl(c) || c == ' ')
            {
                return "the URL contains control characters or spaces; percent-encode them.";
            }

            if (c == '\\')
            {
                return "the URL contains a backslash, which browsers read as '/'; use '/'.";
            }
        }

        if (url.StartsWith("//", StringComparison.Ordinal))
        {
            return "protocol-relative URLs ('//host/…') are refused; give the scheme, https://.";
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(url.AsSpan(0, colon)))
        {
            return "relative URLs are refused; give an absolute https:// URL.";
        }

        var scheme2 = url[..colon].ToLowerInvariant();
        if (scheme2 is not ("https" or "http"))
        {
            return $"the scheme '{scheme2}:' is refused; only https:// (and http:// to loopback in development) is accepted.";
        }

        if (!url.AsSpan(colon + 1).StartsWith("//", StringComparison.Ordinal))
        {
            return $"'{scheme2}:' must be followed by '//host'; URLs like 'https:evil.example' are refused.";
        }

        var authorityEnd = url.IndexOfAny(['/', '?', '#'], colon + 3);
        var authority = authorityEnd < 0 ? url[(colon + 3)..] : url[(colon + 3)..authorityEnd];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            return "URLs with user information ('https://user@host') are refused: they disguise the real host.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return "the URL is not a valid absolute URL.";
        }

        if (scheme2 == "http")
        {
            if (!IsLoopback(uri))
            {
                return "plain http:// is refused; use https:// (http:// is accepted only to loopback in development).";
            }

            if (!allowHttpLoopback)
            {
                return "plain http:// is refused, loopback included (ActionLimits.AllowHttpLoopbackRedirects is off).";
            }
        }

        return null;
    }

    private static string Squeeze(string url)
    {
        Span<char> buffer = url.Length <= 64 ? stackalloc char[url.Length] : new char[url.Length];
        var n = 0;
        foreach (var c in url)
        {
            if (c > ' ' && c != '\u007f')
            {
                buffer[n++] = c;
            }
        }

        return new string(buffer[..n]);
    }

    private static bool IsScheme(ReadOnlySpan<char> candidate)
    {
        if (!char.IsAsciiLetter(candidate[0]))
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback)
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
