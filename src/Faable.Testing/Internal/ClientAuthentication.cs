using System.Text;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic or body parameters, never both.</summary>
internal static class ClientAuthentication
{
    /// <summary>Identifies and authenticates the client; a public client may present only its id.</summary>
    public static (FaableLocalClient? Client, OAuthError? Error) Authenticate(HttpRequest request, RequestParameters parameters, FaableLocalTenant tenant)
    {
        string? clientId = parameters["client_id"];
        string? secret = parameters["client_secret"];
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return (null, OAuthError.Client("Only HTTP Basic client authentication is supported in the Authorization header."));
            }

            if (parameters.Has("client_secret"))
            {
                return (null, OAuthError.Request("Use one client authentication method: HTTP Basic or client_secret in the body, not both."));
            }

            if (!TryParseBasic(header["Basic ".Length..].Trim(), out var basicId, out var basicSecret))
            {
                return (null, OAuthError.Client("The Basic credentials are malformed."));
            }

            if (clientId is not null && clientId != basicId)
            {
                return (null, OAuthError.Request("client_id in the body differs from the Basic credentials."));
            }

            clientId = basicId;
            secret = basicSecret;
        }

        if (clientId is null)
        {
            return (null, OAuthError.Client("Client authentication failed: client_id is missing."));
        }

        var client = tenant.FindClient(clientId);
        if (client is null)
        {
            return (null, OAuthError.Client("Client authentication failed: unknown client."));
        }

        if (client.ClientSecret is null)
        {
            return secret is null ? (client, null) : (null, OAuthError.Client("Client authentication failed: this public client has no secret."));
        }

        if (secret is null || !Secrets.FixedTimeEquals(secret, client.ClientSecret))
        {
            return (null, OAuthError.Client("Client authentication failed: wrong or missing client secret."));
        }

        return (client, null);
    }

    private static bool TryParseBasic(string encoded, out string id, out string secret)
    {
        id = secret = "";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        // RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined.
        id = Uri.UnescapeDataString(text[..colon].Replace('+', ' '));
        secret = Uri.UnescapeDataString(text[(colon + 1)..].Replace('+', ' '));
        return id.Length > 0;
    }
}
