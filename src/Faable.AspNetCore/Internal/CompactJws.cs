using System.Text.Json;

namespace Faable.AspNetCore.Internal;

/// <summary>The three segments of a JWS in compact serialization (RFC 7515 §7.1), and its protected header.</summary>
internal sealed class CompactJws
{
    private CompactJws(string token, int firstDot, int secondDot, string alg, string? kid, bool hasCrit)
    {
        Token = token;
        FirstDot = firstDot;
        SecondDot = secondDot;
        Alg = alg;
        Kid = kid;
        HasCrit = hasCrit;
    }

    public string Token { get; }

    public int FirstDot { get; }

    public int SecondDot { get; }

    public string Alg { get; }

    public string? Kid { get; }

    public bool HasCrit { get; }

    public ReadOnlySpan<char> SigningInput => Token.AsSpan(0, SecondDot);

    public ReadOnlySpan<char> PayloadSegment => Token.AsSpan(FirstDot + 1, SecondDot - FirstDot - 1);

    public ReadOnlySpan<char> SignatureSegment => Token.AsSpan(SecondDot + 1);

    /// <summary>Splits the token and reads the header; on failure returns the catalog entry to answer with.</summary>
    public static CompactJws? TryParse(string token, out AuthError? error)
    {
        var dots = token.AsSpan().Count('.');
        if (dots == 4 && token.Split('.').All(segment => Base64UrlStrict.IsValid(segment)))
        {
            error = AuthErrors.EncryptedToken;
            return null;
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (dots != 2 || firstDot == 0 ||
            !Base64UrlStrict.IsValid(token.AsSpan(firstDot + 1, secondDot - firstDot - 1)) ||
            !Base64UrlStrict.IsValid(token.AsSpan(secondDot + 1)))
        {
            error = AuthErrors.Malformed;
            return null;
        }

        var headerBytes = Base64UrlStrict.Decode(token.AsSpan(0, firstDot));
        if (headerBytes is null)
        {
            error = AuthErrors.Malformed;
            return null;
        }

        string? alg = null;
        string? kid = null;
        var hasCrit = false;
        try
        {
            using var header = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 8 });
            if (header.RootElement.ValueKind != JsonValueKind.Object || JsonClaims.HasDuplicateMembers(header.RootElement))
            {
                error = AuthErrors.Malformed;
                return null;
            }

            foreach (var member in header.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "alg":
                        alg = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : string.Empty;
                        break;
                    case "kid":
                        kid = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                        break;
                    case "crit":
                        hasCrit = true;
                        break;

                    // jwk, jku, x5u, x5c and every other member are ignored: keys come only from the tenant's JWKS.
                }
            }
        }
        catch (JsonException)
        {
            error = AuthErrors.Malformed;
            return null;
        }

        if (alg is null)
        {
            error = AuthErrors.Malformed;
            return null;
        }

        error = null;
        return new CompactJws(token, firstDot, secondDot, alg, string.IsNullOrEmpty(kid) ? null : kid, hasCrit);
    }
}
