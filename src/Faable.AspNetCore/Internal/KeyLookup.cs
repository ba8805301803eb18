namespace Faable.AspNetCore.Internal;

internal enum KeyLookupStatus
{
    Found,
    Unknown,
    Unavailable,
}

/// <summary>The answer of the key store for one <c>kid</c>.</summary>
internal readonly record struct KeyLookup(KeyLookupStatus Status, SigningKey? Key, TimeSpan RetryAfter);
