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
/// it is ignored once its signing key leaves the JWKS; at the bound, an entry not used since the clock hand last
/// passed it is replaced (CLOCK, a second-chance approximation of least-recently-used). Failures are never stored.
/// </summary>
/// <remarks>
/// <para>
/// A lookup hashes the token's end with a keyed, non-cryptographic hash (XXH3 with a secret seed drawn per cache) and then
/// compares the stored token with the presented one in full, ordinally: a hash collision, chance or crafted, can only
/// cost a miss or a longer probe, never return another token's result. The seed keeps placement unpredictable from
/// outside, and only tokens that passed every check are ever stored, so a client cannot fill a probe sequence at
/// will. The token is kept as its ASCII bytes (a validated compact JWS is base64url and dots), half its UTF-16 size.
/// </para>
/// <para>
/// Lookups take no lock and write nothing shared: the table is open-addressed (linear probing, at most three quarters
/// full, each slot holding the entry's hash so that probing rarely reads a colder entry) and an entry is immutable but
/// for its "used" flag, which a hit sets only when it is clear. Writers (a validated token being stored) take a lock. A lookup that races with a writer can miss an entry that is being moved, which
/// costs one validation, and can never return an entry whose text differs: every hit is the full comparison.
/// </para>
/// </remarks>
internal sealed class ValidatedTokenCache
{
    private const int MinimumSlots = 64;

    private readonly TokenKeyComparer _comparer;
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeSpan _skew;

    // The hash table (a power of two, at most three quarters full) and, for eviction, the entries in the order of their ring
    // positions; the clock hand walks the ring. Both are replaced, never resized in place, so a lookup reading the
    // previous table still reads a consistent one.
    private Slot[] _slots;
    private Entry[] _ring;
    private int _count;
    private int _hand;

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
        _slots = new Slot[MinimumSlots];
        _ring = new Entry[Math.Min(_capacity, MinimumSlots / 2)];
    }

    public bool Enabled { get; }

    /// <summary>Gets the number of entries held, including those expired or orphaned that the clock has not yet replaced.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Finds a stored result for exactly this token text. Allocation-free and lock-free; the text can be a slice of the
    /// request's header, so a repeated token is never copied.
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> token, DateTimeOffset now, SigningKeySet? keys, out ValidatedToken? result)
    {
        result = null;
        if (!Enabled)
        {
            return false;
        }

        var hash = _comparer.Hash(token);
        var entry = Find(Volatile.Read(ref _slots), hash, token);
        if (entry is null || now.UtcTicks >= entry.EvictAtTicks || keys is null || !keys.Contains(entry.Token.Key))
        {
            // An expired or orphaned entry is left to the clock: it is never used again, so its flag stays clear.
            return false;
        }

        if (!entry.Used)
        {
            entry.Used = true;
        }

        result = entry.Token;
        return true;
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

        var entry = new Entry(ascii, _comparer.Hash(text), token, evictAt.UtcTicks);
        lock (_gate)
        {
            var slots = _slots;
            var existing = IndexOf(slots, entry.Hash, text);
            if (existing >= 0)
            {
                // The same text validated again (its entry had expired or lost its key): take over its ring position.
                var old = slots[existing].Entry!;
                entry.RingIndex = old.RingIndex;
                _ring[old.RingIndex] = entry;
                Volatile.Write(ref slots[existing].Entry, entry);
                return;
            }

            if (_count == _capacity)
            {
                var victim = Evict(now);
                RemoveAt(_slots, IndexOf(_slots, victim));
                entry.RingIndex = victim.RingIndex;
                _ring[victim.RingIndex] = entry;
            }
            else
            {
                if (4L * (_count + 1) > 3L * _slots.Length)
                {
                    Rehash(2 * _slots.Length);
                }

                if (_count == _ring.Length)
                {
                    Array.Resize(ref _ring, (int)Math.Min(_capacity, 2L * _ring.Length));
                }

                entry.RingIndex = _count;
                _ring[_count] = entry;
                Volatile.Write(ref _count, _count + 1);
            }

            Insert(_slots, entry);
        }
    }

    private static Entry? Find(Slot[] slots, int hash, ReadOnlySpan<char> text)
    {
        var mask = slots.Length - 1;
        for (int i = hash & mask, probes = 0; probes < slots.Length; i = (i + 1) & mask, probes++)
        {
            ref var slot = ref slots[i];
            var entry = Volatile.Read(ref slot.Entry);
            if (entry is null)
            {
                return null;
            }

            // The slot's hash avoids reading a colder entry; the entry's own (immutable) hash and text decide.
            if (slot.Hash == hash && entry.Hash == hash && Ascii.Equals(entry.Ascii, text))
            {
                return entry;
            }
        }

        return null;
    }

    private static int IndexOf(Slot[] slots, int hash, string text)
    {
        var mask = slots.Length - 1;
        for (var i = hash & mask; slots[i].Entry is { } entry; i = (i + 1) & mask)
        {
            if (entry.Hash == hash && Ascii.Equals(entry.Ascii, text))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOf(Slot[] slots, Entry target)
    {
        var mask = slots.Length - 1;
        for (var i = target.Hash & mask; slots[i].Entry is { } entry; i = (i + 1) & mask)
        {
            if (ReferenceEquals(entry, target))
            {
                return i;
            }
        }

        throw new InvalidOperationException("A ring entry is missing from the table.");
    }

    private static void Insert(Slot[] slots, Entry entry)
    {
        var mask = slots.Length - 1;
        var i = entry.Hash & mask;
        while (slots[i].Entry is not null)
        {
            i = (i + 1) & mask;
        }

        slots[i].Hash = entry.Hash;
        Volatile.Write(ref slots[i].Entry, entry);
    }

    // Backward-shift deletion (linear probing without tombstones): every later entry of the cluster that may live at
    // the freed slot moves into it.
    private static void RemoveAt(Slot[] slots, int free)
    {
        var mask = slots.Length - 1;
        for (var i = (free + 1) & mask; slots[i].Entry is { } entry; i = (i + 1) & mask)
        {
            var home = entry.Hash & mask;
            var stays = free <= i ? free < home && home <= i : free < home || home <= i;
            if (!stays)
            {
                slots[free].Hash = entry.Hash;
                Volatile.Write(ref slots[free].Entry, entry);
                free = i;
            }
        }

        Volatile.Write(ref slots[free].Entry, null);
    }

    // CLOCK: the hand clears the flag of a used entry and moves on; the first entry whose flag is clear (or that has
    // expired) is the victim. Ends within two turns of the ring.
    private Entry Evict(DateTimeOffset now)
    {
        while (true)
        {
            var entry = _ring[_hand];
            _hand = _hand + 1 == _count ? 0 : _hand + 1;
            if (entry.Used && now.UtcTicks < entry.EvictAtTicks)
            {
                entry.Used = false;
                continue;
            }

            return entry;
        }
    }

    private void Rehash(int size)
    {
        var slots = new Slot[size];
        for (var i = 0; i < _count; i++)
        {
            Insert(slots, _ring[i]);
        }

        Volatile.Write(ref _slots, slots);
    }

    private static long RandomSeed()
    {
        Span<byte> seed = stackalloc byte[sizeof(long)];
        RandomNumberGenerator.Fill(seed);
        return BinaryPrimitives.ReadInt64LittleEndian(seed);
    }

    /// <summary>
    /// Hashes token text with XXH3 under a secret seed: its length and its last <see cref="HashedLength"/> characters,
    /// which for a stored token lie in its signature. The presented text is never copied.
    /// </summary>
    /// <remarks>
    /// Only validated tokens are stored, and the end of a valid token's signature is the output of the tenant's key:
    /// nobody can choose it to crowd one probe sequence, and texts that share an end only share a hash, never a hit,
    /// because every hit compares the whole text.
    /// </remarks>
    internal class TokenKeyComparer(long seed)
    {
        public const int HashedLength = 64;

        public virtual int Hash(ReadOnlySpan<char> text)
        {
            var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text[Math.Max(0, text.Length - HashedLength)..]), seed + text.Length);
            return (int)hash ^ (int)(hash >> 32);
        }
    }

    /// <summary>A table slot: the entry's hash, read before the entry itself, and the entry.</summary>
    private struct Slot
    {
        public int Hash;
        public Entry? Entry;
    }

    /// <summary>A stored token: its ASCII bytes and keyed hash, its result and when it must go; immutable but for <see cref="Used"/>.</summary>
    private sealed class Entry(byte[] ascii, int hash, ValidatedToken token, long evictAtTicks)
    {
        public byte[] Ascii { get; } = ascii;

        public int Hash { get; } = hash;

        public ValidatedToken Token { get; } = token;

        /// <summary>Gets when the entry must no longer be used, in UTC ticks.</summary>
        public long EvictAtTicks { get; } = evictAtTicks;

        /// <summary>Gets or sets the ring position (changed only under the writers' lock).</summary>
        public int RingIndex { get; set; }

        /// <summary>Gets or sets a value indicating whether a lookup used the entry since the clock hand last passed it.</summary>
        public bool Used { get; set; }
    }
}
