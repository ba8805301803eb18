using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Testing.Internal;

/// <summary>One RSA-2048 key pair of a tenant, named by its <c>kid</c>.</summary>
internal sealed class TenantSigningKey : IDisposable
{
    private readonly RSA _rsa;

    private TenantSigningKey(string keyId, RSA rsa)
    {
        KeyId = keyId;
        _rsa = rsa;
        SecurityKey = new RsaSecurityKey(rsa) { KeyId = keyId };
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        Modulus = Base64UrlEncoder.Encode(parameters.Modulus);
        Exponent = Base64UrlEncoder.Encode(parameters.Exponent);
        PublicKey = new RsaSecurityKey(parameters) { KeyId = keyId };
    }

    public string KeyId { get; }

    /// <summary>The private key, with <see cref="KeyId"/> set.</summary>
    public RsaSecurityKey SecurityKey { get; }

    /// <summary>The public part only, for validation.</summary>
    public RsaSecurityKey PublicKey { get; }

    /// <summary>Base64url <c>n</c>.</summary>
    public string Modulus { get; }

    /// <summary>Base64url <c>e</c>.</summary>
    public string Exponent { get; }

    public static TenantSigningKey Create(string? keyId = null)
    {
        var rsa = RSA.Create(2048);
        return new TenantSigningKey(keyId ?? NewKeyId(), rsa);
    }

    /// <summary>Wraps an existing key pair (e.g. read from a file); the instance takes ownership of <paramref name="rsa"/>.</summary>
    public static TenantSigningKey FromRsa(string keyId, RSA rsa) => new(keyId, rsa);

    /// <summary>Signing credentials that write <paramref name="headerKeyId"/> (or no <c>kid</c> when null) into the header.</summary>
    public SigningCredentials CreateCredentials(string? headerKeyId)
    {
        var key = headerKeyId == KeyId ? SecurityKey : new RsaSecurityKey(_rsa) { KeyId = headerKeyId };
        return new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
    }

    public void Dispose() => _rsa.Dispose();

    private static string NewKeyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
