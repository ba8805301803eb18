using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Reads a JWKS and keeps only keys that may verify an RS256 access token: <c>kty</c> RSA, <c>use</c>
/// absent or <c>sig</c>, <c>alg</c> absent or RS256, <c>key_ops</c> absent or containing <c>verify</c>,
/// no private members, a <c>kid</c>, a modulus of at least 2048 bits without the ROCA fingerprint and an odd exponent above 1.
/// A <c>kid</c> shared by two usable keys is ambiguous and dropped (RFC 7517 §4.5).
/// </summary>
internal static class JwksParser
{
    public const int MinimumModulusBits = 2048;

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>Parses a JWKS document; returns <see langword="null"/> when it is not a JWKS at all.</summary>
    public static Dictionary<string, SigningKey>? Parse(ReadOnlySpan<byte> json, List<(string? Kid, string Why)> skipped)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("keys", out var keys) ||
                keys.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var usable = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
            var ambiguous = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in keys.EnumerateArray())
            {
                var key = TryReadKey(element, out var kid, out var why);
                if (key is null)
                {
                    skipped.Add((kid, why!));
                    continue;
                }

                if (ambiguous.Contains(key.Kid) || !usable.TryAdd(key.Kid, key))
                {
                    if (usable.Remove(key.Kid, out var earlier))
                    {
                        earlier.Rsa.Dispose();
                    }

                    ambiguous.Add(key.Kid);
                    key.Rsa.Dispose();
                    skipped.Add((key.Kid, "kid is shared by two keys"));
                }
            }

            return usable;
        }
    }

    public static SigningKeySet ToSet(Dictionary<string, SigningKey> keys, DateTimeOffset fetchedAt) =>
        new(keys.ToFrozenDictionary(StringComparer.Ordinal), fetchedAt);

    internal static SigningKey? TryReadKey(JsonElement element, out string? kid, out string? why)
    {
        kid = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            why = "not a JSON object";
            return null;
        }

        kid = GetString(element, "kid");
        if (GetString(element, "kty") != "RSA")
        {
            why = "kty is not RSA";
            return null;
        }

        if (element.TryGetProperty("use", out var use) && (use.ValueKind != JsonValueKind.String || use.GetString() != "sig"))
        {
            why = "use is not sig";
            return null;
        }

        if (element.TryGetProperty("alg", out var alg) && (alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256"))
        {
            why = "alg is not RS256";
            return null;
        }

        if (element.TryGetProperty("key_ops", out var ops) && !ContainsVerify(ops))
        {
            why = "key_ops does not allow verify";
            return null;
        }

        foreach (var member in PrivateMembers)
        {
            if (element.TryGetProperty(member, out _))
            {
                why = "private key material published";
                return null;
            }
        }

        if (string.IsNullOrEmpty(kid))
        {
            why = "no kid";
            return null;
        }

        var modulus = DecodeUnsigned(GetString(element, "n"));
        var exponent = DecodeUnsigned(GetString(element, "e"));
        if (modulus is null || exponent is null || modulus.Length == 0 || exponent.Length == 0)
        {
            why = "n or e missing or not base64url";
            return null;
        }

        var bits = ((modulus.Length - 1) * 8) + (32 - int.LeadingZeroCount(modulus[0]));
        if (bits < MinimumModulusBits)
        {
            why = $"modulus has {bits} bits, fewer than {MinimumModulusBits}";
            return null;
        }

        if (RocaFingerprint.IsVulnerable(modulus))
        {
            why = "modulus has the ROCA fingerprint (CVE-2017-15361)";
            return null;
        }

        if ((exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] == 1) || exponent.Length > 8)
        {
            why = "exponent is not an odd number above 1";
            return null;
        }

        try
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
            why = null;
            return new SigningKey(kid, rsa, bits, modulus, exponent);
        }
        catch (CryptographicException)
        {
            why = "the key cannot be imported";
            return null;
        }
    }

    private static bool ContainsVerify(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var op in ops.EnumerateArray())
        {
            if (op.ValueKind == JsonValueKind.String && op.GetString() == "verify")
            {
                return true;
            }
        }

        return false;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? DecodeUnsigned(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var bytes = Base64UrlStrict.Decode(value);
        if (bytes is null)
        {
            return null;
        }

        var start = 0;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }

        return start == 0 ? bytes : bytes[start..];
    }
}
