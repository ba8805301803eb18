using Faable.AspNetCore.Internal;

namespace Faable.AspNetCore.Tests.Internal;

/// <summary>The set a cached token keeps for its scopes and permissions.</summary>
public sealed class SmallStringSetTests
{
    [Fact]
    public void Create_FewValues_HoldsEachOnceAndMatchesExactly()
    {
        var set = SmallStringSet.Create(["read:orders", "openid", "read:orders", "Write:orders"]);

        Assert.IsType<SmallStringSet>(set);
        Assert.Equal(["read:orders", "openid", "Write:orders"], set);
        Assert.Equal(3, set.Count);
        Assert.True(set.Contains("read:orders"));
        Assert.False(set.Contains("read:order"));
        Assert.False(set.Contains("read:orders2"));
        Assert.False(set.Contains("write:orders"));
    }

    [Fact]
    public void SetRelations_AnswerAsAHashSetWould()
    {
        var set = SmallStringSet.Create(["a", "b"]);

        Assert.True(set.IsSubsetOf(["a", "b", "c"]));
        Assert.True(set.IsProperSubsetOf(["a", "b", "c"]));
        Assert.False(set.IsProperSubsetOf(["a", "b"]));
        Assert.True(set.IsSupersetOf(["a"]));
        Assert.True(set.IsProperSupersetOf(["b"]));
        Assert.True(set.Overlaps(["x", "b"]));
        Assert.False(set.Overlaps(["x"]));
        Assert.True(set.SetEquals(["b", "a", "a"]));
        Assert.False(set.SetEquals(["a"]));
    }

    [Fact]
    public void Create_ManyValues_IsAHashSetWithEveryValue()
    {
        var values = Enumerable.Range(0, SmallStringSet.MaxCount + 5).Select(i => $"scope:{i}").ToList();

        var set = SmallStringSet.Create([.. values, "scope:0"]);

        Assert.IsType<HashSet<string>>(set);
        Assert.Equal(values.Count, set.Count);
        Assert.All(values, v => Assert.True(set.Contains(v)));
    }
}
