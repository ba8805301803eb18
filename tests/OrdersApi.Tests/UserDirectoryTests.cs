using OrdersApi.Users;

namespace OrdersApi.Tests;

/// <summary>The users table keeps the newest change per user whatever order deliveries arrive in.</summary>
public sealed class UserDirectoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 12, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Upsert_OlderChangeAfterNewer_IsIgnored()
    {
        var users = new UserDirectory();
        users.Upsert(new AppUser("user_1", "new@example.com", true, "Ada", "user.updated", T0.AddSeconds(5)));

        var applied = users.Upsert(new AppUser("user_1", null, null, "Ada", "user.created", T0));

        Assert.False(applied);
        Assert.Equal("new@example.com", users.Find("user_1")?.Email);
    }

    [Fact]
    public void Upsert_UpdateOlderThanDeletion_DoesNotBringTheUserBack()
    {
        var users = new UserDirectory();
        users.Upsert(new AppUser("user_1", "a@example.com", true, "Ada", "user.created", T0));
        users.Remove("user_1", T0.AddSeconds(10));

        var applied = users.Upsert(new AppUser("user_1", "b@example.com", true, "Ada", "user.updated", T0.AddSeconds(5)));

        Assert.False(applied);
        Assert.Null(users.Find("user_1"));
        Assert.Empty(users.All());
    }

    [Fact]
    public void Upsert_NewerChange_Replaces()
    {
        var users = new UserDirectory();
        users.Upsert(new AppUser("user_1", null, null, "Ada", "user.created", T0));

        var applied = users.Upsert(new AppUser("user_1", "ada@example.com", true, "Ada", "user.updated", T0.AddSeconds(1)));

        Assert.True(applied);
        Assert.Equal("ada@example.com", Assert.Single(users.All()).Email);
    }
}
