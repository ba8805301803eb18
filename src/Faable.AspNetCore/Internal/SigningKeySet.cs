using System.Collections.Frozen;

namespace Faable.AspNetCore.Internal;

/// <summary>An immutable snapshot of the usable keys, with the time it was fetched.</summary>
internal sealed class SigningKeySet(FrozenDictionary<string, SigningKey> keys, DateTimeOffset fetchedAt)
{
    public FrozenDictionary<string, SigningKey> Keys { get; } = keys;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    public bool Contains(SigningKey key) => Keys.TryGetValue(key.Kid, out var current) && ReferenceEquals(current, key);
}
