using System.Collections.Concurrent;

namespace Faable.Testing.Internal;

/// <summary>Single-use entries under random keys, each with an expiry; taking an entry removes it atomically.</summary>
internal sealed class ExpiringStore<T>(TimeProvider timeProvider)
    where T : class
{
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);

    public string Add(T value, TimeSpan lifetime)
    {
        var now = timeProvider.GetUtcNow();
        if (_entries.Count > 256)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAt <= now)
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }

        var id = Secrets.NewOpaque();
        _entries[id] = (value, now + lifetime);
        return id;
    }

    /// <summary>Stores under a key chosen elsewhere (a random value, such as a resume state).</summary>
    public void Add(string key, T value, TimeSpan lifetime) => _entries[key] = (value, timeProvider.GetUtcNow() + lifetime);

    /// <summary>Removes and returns the entry; <see langword="null"/> when unknown, already taken or expired.</summary>
    public T? TryTake(string? key)
    {
        if (key is null || !_entries.TryRemove(key, out var entry))
        {
            return null;
        }

        return entry.ExpiresAt > timeProvider.GetUtcNow() ? entry.Value : null;
    }

    /// <summary>Returns the entry without removing it; <see langword="null"/> when unknown or expired.</summary>
    public T? Peek(string? key) =>
        key is not null && _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > timeProvider.GetUtcNow() ? entry.Value : null;

    /// <summary>How many entries are live (not taken, not expired).</summary>
    public int Count
    {
        get
        {
            var now = timeProvider.GetUtcNow();
            return _entries.Count(e => e.Value.ExpiresAt > now);
        }
    }
}
