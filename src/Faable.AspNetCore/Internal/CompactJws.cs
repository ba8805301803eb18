namespace Faable.AspNetCore.Internal;

/// <summary>The three segments of a JWS in compact serialization (RFC 7515 §7.1), and its protected header.</summary>
internal sealed class CompactJws
{
    private CompactJws(string token, int firstDot, int secondDot, JwsHeader header)
    {
        Token = token;
        FirstDot = firstDot;
        SecondDot = secondDot;
        Header = header;
    }

    public string Token { get; }

    public int FirstDot { get; }

    public int SecondDot { get; }

    public JwsHeader Header { get; }

    public string? Alg => Header.Alg;

    public string? Kid => Header.Kid;

    public bool HasCrit => Header.HasCrit;

    public ReadOnlySpan<char> SigningInput => Token.AsSpan(0, SecondDot);

    public ReadOnlySpan<char> PayloadSegment => Token.AsSpan(FirstDot + 1, SecondDot - FirstDot - 1);

    public ReadOnlySpan<char> SignatureSegment => Token.AsSpan(SecondDot + 1);

    /// <summary>Splits the token and reads the header; on failure returns the catalog entry to answer with.</summary>
    public static CompactJws? TryParse(string token, out AuthError? error) => TryParse(token, out error, out _);

    /// <summary>
    /// Splits the token and reads the header. On failure <paramref name="error"/> is the catalog entry to answer with, and
    /// <paramref name="header"/> is still the first segment's header when that segment alone is readable.
    /// </summary>
    public static CompactJws? TryParse(string token, out AuthError? error, out JwsHeader? header)
    {
        var dots = token.AsSpan().Count('.');
        if (dots == 4 && token.Split('.').All(segment => Base64UrlStrict.IsValid(segment)))
        {
            error = AuthErrors.EncryptedToken;
            header = null;
            return null;
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        header = JwsHeader.TryRead(firstDot < 0 ? token : token.AsSpan(0, firstDot));
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (dots != 2 || firstDot == 0 || header is null ||
            !Base64UrlStrict.IsValid(token.AsSpan(firstDot + 1, secondDot - firstDot - 1)) ||
            !Base64UrlStrict.IsValid(token.AsSpan(secondDot + 1)))
        {
            error = AuthErrors.Malformed;
            return null;
        }

        error = null;
        return new CompactJws(token, firstDot, secondDot, header);
    }
}
