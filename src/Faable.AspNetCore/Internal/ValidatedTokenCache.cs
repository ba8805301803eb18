using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Remembers tokens that passed validation, keyed by the exact token text. An entry lives no longer
/// than the token's <c>exp</c> plus the skew and no longer than <see cref="FaableAuthOptions.TokenCacheMaxLifetime"/>;
/// it is ignored once its signing key leaves the JWKS; the least recently used entry is dropped at the bound.
/// Failures are never stored.
/// </summary>
/// <remarks>
/// A lookup hashes the token with a keyed, non-cryptographic hash (XXH3 with a secret seed drawn per cache) and then
/// compares the stored token with the presented one in full, ordinally: a hash collision, chance or crafted, can only
/// cost a miss or a longer bucket, never return another token's result. The seed keeps bucket placement unpredictable
/// from outside, and only tokens that passed every check are ever stored, so a client cannot fill buckets at will.
/// The token is kept as its ASCII bytes (a validated compact JWS is base64url and dots), half its UTF-16 size.
/// </remarks>
internal sealed class ValidatedTokenCache
{
    private readonly Dictionary<TokenKey, LinkedListNode<Entry>> _map;
    private readonly Dictionary<TokenKey, LinkedListNode<Entry>>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private readonly TokenKeyComparer _comparer;
    private readonly LinkedList<Entry> _lru = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeSpan _skew;

    public ValidatedTokenCache(IOptions<FaableAuthOptions> options)
        : this(options, new TokenKeyComparer(RandomSeed()))
    {
    }

    internal ValidatedTokenCache(IOptions<FaableAuthOptions> options, TokenKeyComparer comparer)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Enabled = value.TokenCacheEnabled;
        _capacity = Math.Max(1, value.TokenCacheSize);
        _maxLifetime = value.TokenCacheMaxLifetime;
        _skew = value.ClockSkew;
        _comparer = comparer;
        _map = new Dictionary<TokenKey, LinkedListNode<Entry>>(Math.Min(_capacity, 1024), comparer);
        _byText = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool Enabled { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>Finds a stored result for exactly this token text. Allocation-free.</summary>
    public bool TryGet(string token, DateTimeOffset now, SigningKeySet? keys, out ValidatedToken? result)
    {
        ArgumentNullException.ThrowIfNull(token);
        result = null;
        if (!Enabled)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_byText.TryGetValue(token, out var node))
            {
                return false;
            }

            var entry = node.Value;
            if (now >= entry.EvictAt || keys is null || !keys.Contains(entry.Token.Key))
            {
                _lru.Remove(node);
                _map.Remove(entry.Key);
                return false;
            }

            if (!ReferenceEquals(_lru.First, node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
            }

            result = entry.Token;
            return true;
        }
    }

    public void Add(string text, ValidatedToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enabled)
        {
            return;
        }

        // exp + skew can lie beyond DateTimeOffset.MaxValue (exp in year 9999, or written in milliseconds): compare
        // against the cap minus the skew so the sum is only computed when it is below the cap.
        var cap = now + _maxLifetime;
        var evictAt = token.Expires >= cap - _skew ? cap : token.Expires + _skew;

        if (evictAt <= now)
        {
            return;
        }

        // Only a validated compact JWS gets here, and it is ASCII; anything else is simply not remembered.
        var ascii = new byte[text.Length];
        if (Ascii.FromUtf16(text, ascii, out _) != System.Buffers.OperationStatus.Done)
        {
            return;
        }

        var key = new TokenKey(ascii, _comparer.Hash(text));
        lock (_gate)
        {
            if (_byText.TryGetValue(text, out var existing))
            {
                _lru.Remove(existing);
                _map.Remove(existing.Value.Key);
            }

            while (_map.Count >= _capacity && _lru.Last is { } oldest)
            {
                _map.Remove(oldest.Value.Key);
                _lru.RemoveLast();
            }

            _map[key] = _lru.AddFirst(new Entry(key, token, evictAt));
        }
    }

    private static long RandomSeed()
    {
        Span<byte> seed = stackalloc byte[sizeof(long)];
        RandomNumberGenerator.Fill(seed);
        return BinaryPrimitives.ReadInt64LittleEndian(seed);
    }

    /// <summary>A stored token: its ASCII bytes and its keyed hash, computed once when it is stored.</summary>
    internal readonly struct TokenKey(byte[] ascii, int hash)
    {
        public byte[] Ascii { get; } = ascii;

        public int Hash { get; } = hash;
    }

    /// <summary>
    /// Hashes token text with XXH3 under a secret seed, and compares a stored token with presented text in full. The
    /// presented text is never copied: the dictionary is searched by the <see cref="ReadOnlySpan{T}"/> of the string.
    /// </summary>
    internal class TokenKeyComparer(long seed) : IEqualityComparer<TokenKey>, IAlternateEqualityComparer<ReadOnlySpan<char>, TokenKey>
    {
        public virtual int Hash(ReadOnlySpan<char> text)
        {
            var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text), seed);
            return (int)hash ^ (int)(hash >> 32);
        }

        public bool Equals(TokenKey x, TokenKey y) => x.Ascii.AsSpan().SequenceEqual(y.Ascii);

        public int GetHashCode(TokenKey obj) => obj.Hash;

        public bool Equals(ReadOnlySpan<char> alternate, TokenKey other) => Ascii.Equals(other.Ascii, alternate);

        public int GetHashCode(ReadOnlySpan<char> alternate) => Hash(alternate);

        public TokenKey Create(ReadOnlySpan<char> alternate) =>
            throw new NotSupportedException("Entries are added with their stored bytes, never created from a lookup.");
    }

    private sealed record Entry(TokenKey Key, ValidatedToken Token, DateTimeOffset EvictAt);
}
