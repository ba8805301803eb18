using System.Collections;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// A read-only set of a few distinct strings compared ordinally, held as one array: what a validated token keeps for its
/// scopes and permissions, a few values each, for as long as it is cached. A hash set of four strings takes about
/// twice the memory; lookups over so few values cost the same.
/// </summary>
internal sealed class SmallStringSet : IReadOnlySet<string>
{
    /// <summary>The most values held this way; a larger set is a <see cref="HashSet{T}"/>.</summary>
    public const int MaxCount = 16;

    private readonly string[] _values;

    private SmallStringSet(string[] values) => _values = values;

    public int Count => _values.Length;

    /// <summary>Returns the distinct values of <paramref name="values"/>, in a small set when there are few.</summary>
    public static IReadOnlySet<string> Create(List<string> values)
    {
        var distinct = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (!distinct.Contains(value))
            {
                distinct.Add(value);
            }

            if (distinct.Count > MaxCount)
            {
                return new HashSet<string>(values, StringComparer.Ordinal);
            }
        }

        return new SmallStringSet([.. distinct]);
    }

    // string's default equality is ordinal.
    public bool Contains(string item) => Array.IndexOf(_values, item) >= 0;

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The relations between sets are rare here (authorization asks Contains): they are a hash set's.
    public bool IsProperSubsetOf(IEnumerable<string> other) => AsHashSet().IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<string> other) => AsHashSet().IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<string> other) => AsHashSet().IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<string> other) => AsHashSet().IsSupersetOf(other);

    public bool Overlaps(IEnumerable<string> other) => AsHashSet().Overlaps(other);

    public bool SetEquals(IEnumerable<string> other) => AsHashSet().SetEquals(other);

    private HashSet<string> AsHashSet() => new(_values, StringComparer.Ordinal);
}
