using System.Text.Json;

namespace Faable.AspNetCore.Internal;

/// <summary>The members of a JOSE header the checklist reads (RFC 7515 §4.1); every other member is ignored.</summary>
internal sealed class JwsHeader
{
    private static readonly string[] KeyMembers = ["jku", "jwk", "x5u", "x5c"];
    private static readonly string[] KnownAlgorithms = [TokenChecklist.RequiredAlgorithm];
    private static readonly string[] KnownTypes = ["JWT", "at+jwt"];

    private JwsHeader(string? alg, string? kid, bool hasCrit, string? typ, string[] keyMembers)
    {
        Alg = alg;
        Kid = kid;
        HasCrit = hasCrit;
        Typ = typ;
        KeyMembersPresent = keyMembers;
    }

    /// <summary>Gets <c>alg</c>: <see langword="null"/> when absent, empty when not a string.</summary>
    public string? Alg { get; }

    /// <summary>Gets <c>kid</c>, or <see langword="null"/> when absent, empty or not a string.</summary>
    public string? Kid { get; }

    public bool HasCrit { get; }

    /// <summary>Gets <c>typ</c> when it is a string (shown, not enforced).</summary>
    public string? Typ { get; }

    /// <summary>Gets the key-carrying members present (<c>jku</c>, <c>jwk</c>, <c>x5u</c>, <c>x5c</c>): all ignored, keys come from the JWKS only.</summary>
    public IReadOnlyList<string> KeyMembersPresent { get; }

    /// <summary>Decodes and reads a header segment: strict base64url of a UTF-8 JSON object without duplicate members.</summary>
    public static JwsHeader? TryRead(ReadOnlySpan<char> segment)
    {
        var bytes = Base64UrlStrict.Decode(segment);
        if (bytes is null)
        {
            return null;
        }

        using var header = JsonClaims.TryParseObject(bytes, maxDepth: 8);
        if (header is null)
        {
            return null;
        }

        string? alg = null;
        string? kid = null;
        string? typ = null;
        var hasCrit = false;
        List<string>? keyMembers = null;
        foreach (var member in header.RootElement.EnumerateObject())
        {
            switch (JsonClaims.Name(member))
            {
                case "alg":
                    alg = member.Value.ValueKind == JsonValueKind.String ? JsonClaims.GetString(member.Value, KnownAlgorithms) : string.Empty;
                    break;
                case "kid":
                    kid = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                    break;
                case "crit":
                    hasCrit = true;
                    break;
                case "typ":
                    typ = member.Value.ValueKind == JsonValueKind.String ? JsonClaims.GetString(member.Value, KnownTypes) : null;
                    break;
                case var name when Array.IndexOf(KeyMembers, name) >= 0:
                    (keyMembers ??= []).Add(name);
                    break;
            }
        }

        return new JwsHeader(alg, string.IsNullOrEmpty(kid) ? null : kid, hasCrit, typ, keyMembers is null ? [] : [.. keyMembers]);
    }
}
