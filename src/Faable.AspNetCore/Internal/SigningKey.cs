using System.Security.Cryptography;

namespace Faable.AspNetCore.Internal;

/// <summary>A verified-usable RS256 public key from the tenant's JWKS.</summary>
internal sealed class SigningKey(string kid, RSA rsa, int modulusBits)
{
    public string Kid { get; } = kid;

    public RSA Rsa { get; } = rsa;

    public int ModulusBits { get; } = modulusBits;

    /// <summary>Gets the length an RS256 signature made by this key must have.</summary>
    public int SignatureLength => (ModulusBits + 7) / 8;
}
