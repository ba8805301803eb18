using System.Security.Cryptography;

namespace Faable.AspNetCore.Internal;

/// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3): the one signature check every token goes through.</summary>
internal static class Rs256Signature
{
    public static bool Verify(SigningKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);

        // RFC 8017 §8.2.2 step 1: the signature is exactly k octets long.
        if (signature.Length != key.SignatureLength)
        {
            return false;
        }

        try
        {
            return key.Rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
