using System.Security.Cryptography;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>A real RSA key pair with its kid, and its public JWK.</summary>
internal sealed class TestKey
{
    private static readonly Lazy<TestKey>[] Pool = Enumerable.Range(0, 6).Select(i => new Lazy<TestKey>(() => new TestKey($"key-{i}", 2048))).ToArray();

    public TestKey(string kid, int bits)
    {
        Kid = kid;
        Rsa = RSA.Create(bits);
    }

    private TestKey(string kid, RSA rsa)
    {
        Kid = kid;
        Rsa = rsa;
    }

    public string Kid { get; }

    public RSA Rsa { get; }

    /// <summary>Gets a shared 2048-bit key (generation is slow, so tests share a few).</summary>
    public static TestKey Shared(int index) => Pool[index].Value;

    public TestKey WithKid(string kid) => new(kid, Rsa);

    public Dictionary<string, object?> ToJwk(Action<Dictionary<string, object?>>? edit = null)
    {
        var p = Rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object?>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = Kid,
            ["n"] = Base64Url(p.Modulus!),
            ["e"] = Base64Url(p.Exponent!),
        };
        edit?.Invoke(jwk);
        return jwk;
    }

    public static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
