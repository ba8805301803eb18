using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OrdersApi.SignIn;

/// <summary>Random values for a sign-in: PKCE (RFC 7636), <c>state</c> and <c>nonce</c>.</summary>
public static class Pkce
{
    /// <summary>A 256-bit random value, base64url without padding (43 characters).</summary>
    public static string NewRandomValue() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))), RFC 7636 §4.2.</summary>
    public static string ChallengeOf(string codeVerifier) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
}
