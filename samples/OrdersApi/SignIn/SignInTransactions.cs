using System.Collections.Concurrent;

namespace OrdersApi.SignIn;

/// <summary>
/// Sign-ins in progress, keyed by their <c>state</c>. A state is used once: the callback takes it out, so a replayed
/// callback URL finds nothing.
/// </summary>
public sealed class SignInTransactions(TimeProvider time)
{
    /// <summary>How long a started sign-in may take.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private const int MaxPending = 10_000;
    private readonly ConcurrentDictionary<string, SignInTransaction> _pending = new(StringComparer.Ordinal);

    /// <summary>Remembers a started sign-in.</summary>
    public void Add(string state, string codeVerifier, string nonce, string browserBinding)
    {
        if (_pending.Count >= MaxPending)
        {
            Prune();
        }

        _pending[state] = new SignInTransaction(codeVerifier, nonce, browserBinding, time.GetUtcNow() + Lifetime);
    }

    /// <summary>Takes the sign-in started with <paramref name="state"/>, if it exists and has not expired.</summary>
    public SignInTransaction? TryTake(string state) =>
        _pending.TryRemove(state, out var transaction) && transaction.ExpiresAt > time.GetUtcNow() ? transaction : null;

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (state, transaction) in _pending)
        {
            if (transaction.ExpiresAt <= now)
            {
                _pending.TryRemove(state, out _);
            }
        }
    }
}
