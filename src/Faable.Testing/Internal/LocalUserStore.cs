using System.Collections.Concurrent;

namespace Faable.Testing.Internal;

/// <summary>The tenant's users: those configured plus those created by sign-ups. Entries are copied in and out.</summary>
internal sealed class LocalUserStore
{
    private readonly ConcurrentDictionary<string, FaableLocalUser> _users = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public LocalUserStore(IEnumerable<FaableLocalUser> seed)
    {
        foreach (var user in seed)
        {
            _users[user.UserId] = Copy(user);
        }
    }

    public IReadOnlyList<FaableLocalUser> All => [.. _users.Values.Select(Copy).OrderBy(u => u.UserId, StringComparer.Ordinal)];

    public FaableLocalUser? Find(string userId) => _users.TryGetValue(userId, out var user) ? Copy(user) : null;

    /// <summary>Finds the user of <paramref name="connection"/> with this email (or, without email, this name), or creates one.</summary>
    public (FaableLocalUser User, bool Created) FindOrCreate(string connection, string? email, string? name)
    {
        lock (_lock)
        {
            var existing = _users.Values.FirstOrDefault(u =>
                string.Equals(u.Connection, connection, StringComparison.Ordinal) &&
                (email is not null
                    ? string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)
                    : u.Email is null && string.Equals(u.Name, name, StringComparison.Ordinal)));
            if (existing is not null)
            {
                return (Copy(existing), false);
            }

            var user = new FaableLocalUser
            {
                UserId = Secrets.NewId("user_"),
                Connection = connection,
                Email = email,
                EmailVerified = false,
                Name = name ?? email,
            };
            _users[user.UserId] = user;
            return (Copy(user), true);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the stored user; returns the updated copy or <see langword="null"/>.</summary>
    public FaableLocalUser? Update(string userId, Action<FaableLocalUser> change)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var stored))
            {
                return null;
            }

            var updated = Copy(stored);
            change(updated);
            _users[userId] = updated;
            return Copy(updated);
        }
    }

    public static FaableLocalUser Copy(FaableLocalUser source)
    {
        var copy = new FaableLocalUser
        {
            UserId = source.UserId,
            Email = source.Email,
            EmailVerified = source.EmailVerified,
            Name = source.Name,
            Connection = source.Connection,
        };
        foreach (var (k, v) in source.AppMetadata)
        {
            copy.AppMetadata[k] = v;
        }

        foreach (var (k, v) in source.UserMetadata)
        {
            copy.UserMetadata[k] = v;
        }

        return copy;
    }
}
