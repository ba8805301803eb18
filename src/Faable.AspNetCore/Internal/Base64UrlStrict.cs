using System.Buffers;
using System.Buffers.Text;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Base64url without padding or white space (RFC 7515 §2): one spelling per value, so a token
/// with <c>==</c> appended to a segment is not a second valid spelling of the same token.
/// </summary>
internal static class Base64UrlStrict
{
    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // A length of 4n+1 characters cannot be the encoding of any byte string.
    public static bool IsValid(ReadOnlySpan<char> text) => text.Length % 4 != 1 && !text.ContainsAnyExcept(Alphabet);

    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (!IsValid(text))
        {
            return null;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        return TryDecodeValid(text, buffer, out var written)
            ? written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray()
            : null;
    }

    /// <summary>Decodes into <paramref name="destination"/>, at least <see cref="Base64Url.GetMaxDecodedLength"/> bytes long.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        return IsValid(text) && TryDecodeValid(text, destination, out written);
    }

    private static bool TryDecodeValid(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(text, destination, out written);
        }
        catch (FormatException)
        {
            // A last character with non-zero padding bits throws instead of returning false: a second spelling, so malformed.
            written = 0;
            return false;
        }
    }
}
