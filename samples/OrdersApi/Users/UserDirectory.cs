using System.Collections.Concurrent;

namespace OrdersApi.Users;

/// <summary>
/// The users table, in memory. Faable sends no retries and no ordering guarantee, so each change carries the time
/// Faable produced it and an older change never overwrites a newer one (a deletion included).
/// </summary>
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The users, by id.</summary>
    public IReadOnlyList<AppUser> All() =>
        [.. _entries.Values.Select(e => e.User).OfType<AppUser>().OrderBy(u => u.UserId, StringComparer.Ordinal)];

    /// <summary>The user with this id, or <see langword="null"/>.</summary>
    public AppUser? Find(string userId) => _entries.TryGetValue(userId, out var entry) ? entry.User : null;

    /// <summary>Creates or replaces a user unless a newer change was already applied.</summary>
    /// <returns><see langword="true"/> when the change was applied.</returns>
    public bool Upsert(AppUser user) => Apply(user.UserId, new Entry(user, user.LastEventAt));

    /// <summary>Removes a user unless a newer change was already applied.</summary>
    /// <returns><see langword="true"/> when the deletion was applied.</returns>
    public bool Remove(string userId, DateTimeOffset producedAt) => Apply(userId, new Entry(null, producedAt));

    private bool Apply(string userId, Entry change)
    {
        while (true)
        {
            if (!_entries.TryGetValue(userId, out var current))
            {
                if (_entries.TryAdd(userId, change))
                {
                    return true;
                }

                continue;
            }

            if (current.ChangedAt > change.ChangedAt)
            {
                return false;
            }

            if (_entries.TryUpdate(userId, change, current))
            {
                return true;
            }
        }
    }

    // A null user is a deletion, kept so that a late update cannot bring the user back.
    private sealed record Entry(AppUser? User, DateTimeOffset ChangedAt);
}
