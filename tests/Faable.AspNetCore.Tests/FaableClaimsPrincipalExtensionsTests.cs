using System.Security.Claims;

namespace Faable.AspNetCore.Tests;

public sealed class FaableClaimsPrincipalExtensionsTests
{
    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    [Fact]
    public void Getters_ReadClaimsAsSent()
    {
        var user = Principal(("sub", "user_1"), ("client_id", "AbC"), ("account", "acc_1"), ("teams", "red"), ("teams", "blue"), ("roles", "admin"));
        Assert.Equal("user_1", user.GetSubject());
        Assert.Equal("AbC", user.GetClientId());
        Assert.Equal("acc_1", user.GetAccount());
        Assert.Equal(["red", "blue"], user.GetTeams());
        Assert.Equal(["admin"], user.GetRoles());
    }

    [Fact]
    public void GetScopes_SpaceSeparatedStringAndRepeatedClaims_Merged()
    {
        var user = Principal(("scope", "openid  read:orders"), ("scope", "write:orders"));
        Assert.Equal(new HashSet<string> { "openid", "read:orders", "write:orders" }, user.GetScopes());
    }

    [Fact]
    public void HasScope_ReadsScopeAndPermissions_ExactMatch()
    {
        var user = Principal(("scope", "read:orders2"), ("permissions", "write:orders"));
        Assert.False(user.HasScope("read:orders"));
        Assert.True(user.HasScope("read:orders2"));
        Assert.True(user.HasScope("write:orders"));
    }

    [Fact]
    public void HasPermission_ReadsPermissionsOnly()
    {
        var user = Principal(("scope", "read:orders"), ("permissions", "write:orders"));
        Assert.False(user.HasPermission("read:orders"));
        Assert.True(user.HasPermission("write:orders"));
        Assert.Equal(new HashSet<string> { "write:orders" }, user.GetPermissions());
    }

    [Fact]
    public void HasPermission_CommaJoinedValue_DoesNotGrantParts()
    {
        var user = Principal(("permissions", "read:orders,write:orders"));
        Assert.False(user.HasPermission("read:orders"));
    }

    [Theory]
    [InlineData("AbC", "AbC", true)]
    [InlineData("user_1", "AbC", false)]
    [InlineData("abc", "AbC", false)]
    public void IsMachine_SubjectEqualsClientId(string sub, string clientId, bool expected) =>
        Assert.Equal(expected, Principal(("sub", sub), ("client_id", clientId)).IsMachine());

    [Fact]
    public void IsMachine_NoClaims_False() => Assert.False(Principal().IsMachine());

    [Fact]
    public void Scopes_UnauthenticatedIdentity_Ignored()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("scope", "read:orders")]));
        Assert.False(user.HasScope("read:orders"));
    }
}
