using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Faable.Webhooks.Internal;

/// <summary>
/// HMAC-SHA256 with one key over a message given in three segments, hashed in place so the signed string
/// <c>timestamp '.' body</c> is never built. Hash objects are pooled, so steady-state verification allocates nothing.
/// </summary>
internal sealed class WebhookHmacKey
{
    public const int HashSize = 32;

    private readonly byte[] _key;
    private readonly ConcurrentQueue<IncrementalHash> _pool = new();
    private readonly int _poolLimit = Math.Max(4, Environment.ProcessorCount * 2);
    private int _pooled;

    public WebhookHmacKey(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
    }

    public void Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> destination)
    {
        var hash = Rent();
        try
        {
            hash.AppendData(first);
            hash.AppendData(second);
            hash.AppendData(third);
            hash.GetHashAndReset(destination);
        }
        catch
        {
            hash.Dispose();
            throw;
        }

        Return(hash);
    }

    /// <summary>Computes the tag and compares it with <paramref name="expected"/> in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, ReadOnlySpan<byte> expected)
    {
        Span<byte> actual = stackalloc byte[HashSize];
        Compute(first, second, third, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private IncrementalHash Rent()
    {
        if (_pool.TryDequeue(out var hash))
        {
            Interlocked.Decrement(ref _pooled);
            return hash;
        }

        return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    private void Return(IncrementalHash hash)
    {
        if (Interlocked.Increment(ref _pooled) <= _poolLimit)
        {
            _pool.Enqueue(hash);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
            hash.Dispose();
        }
    }
}
