using System.Security.Cryptography;

namespace Faable.AspNetCore.Internal;

/// <summary>A verified-usable RS256 public key from the tenant's JWKS.</summary>
internal sealed class SigningKey
{
    private readonly byte[] _modulus;
    private readonly byte[] _exponent;

    public SigningKey(string kid, RSA rsa, int modulusBits, byte[] modulus, byte[] exponent)
    {
        Kid = kid;
        Rsa = rsa;
        ModulusBits = modulusBits;
        _modulus = modulus;
        _exponent = exponent;
    }

    public string Kid { get; }

    public RSA Rsa { get; }

    public int ModulusBits { get; }

    /// <summary>Gets the length an RS256 signature made by this key must have.</summary>
    public int SignatureLength => (ModulusBits + 7) / 8;

    /// <summary>Tells whether <paramref name="other"/> is the same key material under the same kid.</summary>
    public bool SameAs(SigningKey other) =>
        Kid == other.Kid && _modulus.AsSpan().SequenceEqual(other._modulus) && _exponent.AsSpan().SequenceEqual(other._exponent);
}
