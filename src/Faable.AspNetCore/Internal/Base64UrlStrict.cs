using System.Buffers.Text;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Base64url without padding or white space (RFC 7515 §2): one spelling per value, so a token
/// with <c>==</c> appended to a segment is not a second valid spelling of the same token.
/// </summary>
internal static class Base64UrlStrict
{
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (!IsValid(text))
        {
            return null;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        int written;
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, buffer, out written))
            {
                return null;
            }
        }
        catch (FormatException)
        {
            // A last character with non-zero padding bits throws instead of returning false: a second spelling, so malformed.
            return null;
        }

        return written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
    }
}
