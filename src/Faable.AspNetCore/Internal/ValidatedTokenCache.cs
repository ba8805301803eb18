using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Remembers tokens that passed validation, keyed by the SHA-256 of the exact token text. An entry lives no longer
/// than the token's <c>exp</c> plus the skew and no longer than <see cref="FaableAuthOptions.TokenCacheMaxLifetime"/>;
/// it is ignored once its signing key leaves the JWKS; the least recently used entry is dropped at the bound.
/// Failures are never stored.
/// </summary>
internal sealed class ValidatedTokenCache
{
    private readonly Dictionary<TokenHash, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _lru = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeSpan _skew;

    public ValidatedTokenCache(IOptions<FaableAuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Enabled = value.TokenCacheEnabled;
        _capacity = Math.Max(1, value.TokenCacheSize);
        _maxLifetime = value.TokenCacheMaxLifetime;
        _skew = value.ClockSkew;
        _map = new Dictionary<TokenHash, LinkedListNode<Entry>>(Math.Min(_capacity, 1024));
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

    public static TokenHash Hash(string token)
    {
        var byteCount = Encoding.UTF8.GetByteCount(token);
        Span<byte> digest = stackalloc byte[32];
        if (byteCount <= 4096)
        {
            Span<byte> bytes = stackalloc byte[byteCount];
            var written = Encoding.UTF8.GetBytes(token, bytes);
            SHA256.HashData(bytes[..written], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(token), digest);
        }

        var words = MemoryMarshal.Cast<byte, ulong>(digest);
        return new TokenHash(words[0], words[1], words[2], words[3]);
    }

    public bool TryGet(TokenHash hash, DateTimeOffset now, SigningKeySet? keys, out ValidatedToken? token)
    {
        token = null;
        if (!Enabled)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_map.TryGetValue(hash, out var node))
            {
                return false;
            }

            var entry = node.Value;
            if (now >= entry.EvictAt || keys is null || !keys.Contains(entry.Token.Key))
            {
                _lru.Remove(node);
                _map.Remove(hash);
                return false;
            }

            if (!ReferenceEquals(_lru.First, node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
            }

            token = entry.Token;
            return true;
        }
    }

    public void Add(TokenHash hash, ValidatedToken token, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return;
        }

        // exp may be as late as year 9999 (clamped), where adding the skew would overflow: compare before adding.
        var cap = now + _maxLifetime;
        var evictAt = token.Expires > cap - _skew ? cap : token.Expires + _skew;

        if (evictAt <= now)
        {
            return;
        }

        lock (_gate)
        {
            if (_map.TryGetValue(hash, out var existing))
            {
                _lru.Remove(existing);
                _map.Remove(hash);
            }

            while (_map.Count >= _capacity && _lru.Last is { } oldest)
            {
                _map.Remove(oldest.Value.Hash);
                _lru.RemoveLast();
            }

            _map[hash] = _lru.AddFirst(new Entry(hash, token, evictAt));
        }
    }

    internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D);

    private sealed record Entry(TokenHash Hash, ValidatedToken Token, DateTimeOffset EvictAt);
}
