using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authentication;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// The items of a validated token's <see cref="AuthenticationProperties"/>: one item, its expiry (<c>ExpiresUtc</c>, as
/// JwtBearer sets it). Reading that item needs no dictionary; the first change or enumeration makes one. The item's
/// key and text are the ones <see cref="AuthenticationProperties"/> itself writes, and the text is made once per token
/// (<see cref="Text"/>), not once per request.
/// </summary>
internal sealed class ExpiryItems(string expires) : IDictionary<string, string?>
{
    // The key AuthenticationProperties stores ExpiresUtc under, read from the framework rather than copied.
    private static readonly string s_key = new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UnixEpoch }.Items.Keys.Single();

    private Dictionary<string, string?>? _items;

    public int Count => _items?.Count ?? 1;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => Items.Keys;

    public ICollection<string?> Values => Items.Values;

    private Dictionary<string, string?> Items => _items ??= new(StringComparer.Ordinal) { [s_key] = expires };

    public string? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The properties have no item '{key}'.");
        set => Items[key] = value;
    }

    /// <summary>The text <see cref="AuthenticationProperties.ExpiresUtc"/> stores for <paramref name="expires"/>.</summary>
    public static string Text(DateTimeOffset expires) => new AuthenticationProperties { ExpiresUtc = expires }.Items[s_key]!;

    /// <summary>Properties whose only item is the expiry stored as <paramref name="expires"/> (see <see cref="Text"/>).</summary>
    public static AuthenticationProperties Properties(string expires) => new(new ExpiryItems(expires));

    public void Add(string key, string? value) => Items.Add(key, value);

    public void Add(KeyValuePair<string, string?> item) => ((ICollection<KeyValuePair<string, string?>>)Items).Add(item);

    public void Clear() => Items.Clear();

    public bool Contains(KeyValuePair<string, string?> item) => ((ICollection<KeyValuePair<string, string?>>)Items).Contains(item);

    public bool ContainsKey(string key) => _items?.ContainsKey(key) ?? string.Equals(key, s_key, StringComparison.Ordinal);

    public void CopyTo(KeyValuePair<string, string?>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, string?>>)Items).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => Items.GetEnumerator();

    public bool Remove(string key) => Items.Remove(key);

    public bool Remove(KeyValuePair<string, string?> item) => ((ICollection<KeyValuePair<string, string?>>)Items).Remove(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_items is not null)
        {
            return _items.TryGetValue(key, out value);
        }

        value = string.Equals(key, s_key, StringComparison.Ordinal) ? expires : null;
        return value is not null;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
