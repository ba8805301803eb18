using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Faable.Actions.Flow;

namespace Faable.Actions.Internal;

/// <summary>
/// Issues and opens resume states: <c>base64url(id) "." base64url(HMAC-SHA256(key, label || id))</c> with a
/// 256-bit random id. The state carries no data; the flow lives server-side under a key derived from the id, so a
/// dump of the store does not yield usable states.
/// </summary>
internal sealed class ResumeStateProtector
{
    /// <summary>Longest input looked at; every issued state is 87 characters.</summary>
    public const int MaxLength = 256;

    private const int IdBytes = 32;
    private const int EncodedPartLength = 43;
    private static readonly byte[] MacLabel = "faable.actions/resume-state/v1\n"u8.ToArray();
    private static readonly byte[] KeyLabel = "faable.actions/flow-key/v1\n"u8.ToArray();
    private readonly byte[] _key;

    public ResumeStateProtector(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _key = Encoding.UTF8.GetBytes(key);
    }

    /// <summary>Creates a fresh state and the store key of its flow.</summary>
    public (string State, string StoreKey) Create()
    {
        Span<byte> id = stackalloc byte[IdBytes];
        RandomNumberGenerator.Fill(id);
        var state = Base64Url.EncodeToString(id) + "." + Base64Url.EncodeToString(Mac(id));
        return (state, StoreKey(id));
    }

    /// <summary>Checks form and signature, in this order; on success gives the store key of the flow.</summary>
    public bool TryOpen(string? state, out string storeKey, out ResumeStateRejection rejection)
    {
        storeKey = string.Empty;
        if (string.IsNullOrEmpty(state))
        {
            rejection = ResumeStateRejection.Malformed;
            return false;
        }

        if (state.Length > MaxLength)
        {
            rejection = ResumeStateRejection.TooLong;
            return false;
        }

        var dot = state.IndexOf('.', StringComparison.Ordinal);
        if (state.Length != (2 * EncodedPartLength) + 1 || dot != EncodedPartLength
            || !TryDecodeCanonical(state.AsSpan(0, EncodedPartLength), out var id)
            || !TryDecodeCanonical(state.AsSpan(EncodedPartLength + 1), out var mac))
        {
            rejection = ResumeStateRejection.Malformed;
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(id)))
        {
            rejection = ResumeStateRejection.BadSignature;
            return false;
        }

        storeKey = StoreKey(id);
        rejection = default;
        return true;
    }

    private byte[] Mac(ReadOnlySpan<byte> id)
    {
        Span<byte> input = stackalloc byte[MacLabel.Length + IdBytes];
        MacLabel.CopyTo(input);
        id.CopyTo(input[MacLabel.Length..]);
        return HMACSHA256.HashData(_key, input);
    }

    private static string StoreKey(ReadOnlySpan<byte> id)
    {
        Span<byte> input = stackalloc byte[KeyLabel.Length + IdBytes];
        KeyLabel.CopyTo(input);
        id.CopyTo(input[KeyLabel.Length..]);
        return Base64Url.EncodeToString(SHA256.HashData(input));
    }

    // Only the canonical spelling decodes: 43 characters of the base64url alphabet whose unused low bits are zero,
    // so a state has exactly one accepted form.
    private static bool TryDecodeCanonical(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        var buffer = new byte[IdBytes];
        try
        {
            // Base64Url throws, rather than returning false, on some non-canonical inputs.
            if (!Base64Url.TryDecodeFromChars(text, buffer, out var written) || written != IdBytes)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }

        if (!text.SequenceEqual(Base64Url.EncodeToString(buffer)))
        {
            return false;
        }

        bytes = buffer;
        return true;
    }
}
