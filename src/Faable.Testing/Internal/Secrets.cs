using System.Security.Cryptography;
using System.Text;

namespace Faable.Testing.Internal;

/// <summary>Random identifiers and constant-time comparison.</summary>
internal static class Secrets
{
    /// <summary>256 random bits, base64url.</summary>
    public static string NewOpaque() => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A Faable-looking id such as <c>user_66f1a2b3c4d5e6f7a8b9c0d1</c>.</summary>
    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Compares two strings in time independent of where they differ (hashing first hides the length).</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));

    /// <summary>The PKCE S256 transform: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2).</summary>
    public static string S256(string verifier) =>
        Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>RFC 7636 §4.1: 43 to 128 characters of <c>[A-Z] [a-z] [0-9] - . _ ~</c>.</summary>
    public static bool IsValidVerifier(string value) =>
        value.Length is >= 43 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');
}
