using System.Collections.Concurrent;

namespace Orders;

/// <summary>A user of the application, as webhooks keep it in step with the tenant.</summary>
/// <param name="UserId">The tenant's user id.</param>
/// <param name="Email">The user's email, when known.</param>
public sealed record StoredUser(string UserId, string? Email);

/// <summary>The application's users, kept in memory (the README examples' stand-in for a database).</summary>
public sealed class UserStore
{
    private readonly ConcurrentDictionary<string, StoredUser> _users = new(StringComparer.Ordinal);

    /// <summary>Every user, ordered by id.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<StoredUser> All() => [.. _users.Values.OrderBy(u => u.UserId, StringComparer.Ordinal)];

    /// <summary>Finds a user.</summary>
    /// <param name="userId">The user id.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public StoredUser? Find(string userId) => _users.GetValueOrDefault(userId);

    /// <summary>Adds or replaces a user (idempotent: a webhook handled twice leaves the same state).</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="email">The email, when known.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A completed task.</returns>
    public Task UpsertAsync(string userId, string? email, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _users[userId] = new StoredUser(userId, email);
        return Task.CompletedTask;
    }

    /// <summary>Removes a user; removing one that is not there does nothing.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A completed task.</returns>
    public Task DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _users.TryRemove(userId, out _);
        return Task.CompletedTask;
    }
}
