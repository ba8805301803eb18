using Faable.AspNetCore.Authorization;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Faable.AspNetCore.Tests.Authorization;

public sealed class RequirementAttributeTests
{
    public static TheoryData<string> Kinds() => ["scope", "any", "permission"];

    private static Attribute Create(string kind, params string[] values) => kind switch
    {
        "scope" => new RequireScopeAttribute(values),
        "any" => new RequireAnyScopeAttribute(values),
        _ => new RequirePermissionAttribute(values),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Constructor_EmptyList_Throws(string kind) =>
        Assert.Throws<ArgumentException>(() => Create(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Constructor_NullList_Throws(string kind) =>
        Assert.Throws<ArgumentNullException>(() => Create(kind, null!));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("read:orders write:orders")]
    public void Constructor_InvalidValue_Throws(string value) =>
        Assert.Throws<ArgumentException>(() => new RequireScopeAttribute("read:users", value));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AuthorizeData_Setters_Throw(string kind)
    {
        var data = (IAuthorizeData)Create(kind, "read:orders");
        Assert.Equal(FaableAuthDefaults.AuthenticationScheme, data.AuthenticationSchemes);
        Assert.Null(data.Policy);
        Assert.Null(data.Roles);
        Assert.Throws<NotSupportedException>(() => data.Policy = "Anything");
        Assert.Throws<NotSupportedException>(() => data.Roles = "admin");
        Assert.Throws<NotSupportedException>(() => data.AuthenticationSchemes = "Cookies");
    }

    [Fact]
    public void Requirement_ReflectsAttribute()
    {
        var all = (FaableScopeRequirement)Assert.Single(new RequireScopeAttribute("a:b", "c:d", "a:b").GetRequirements());
        var any = (FaableScopeRequirement)Assert.Single(new RequireAnyScopeAttribute("a:b").GetRequirements());
        var permission = (FaableScopeRequirement)Assert.Single(new RequirePermissionAttribute("a:b").GetRequirements());

        Assert.Equal(["a:b", "c:d"], all.Values);
        Assert.True(all.RequireAll);
        Assert.False(any.RequireAll);
        Assert.Equal(ScopeSource.Permissions, permission.Source);
        Assert.Equal(ScopeSource.Scopes, all.Source);
    }

    [Fact]
    public void Requirement_IsMetBy_ExactMatchOnly()
    {
        var requirement = (FaableScopeRequirement)new RequireScopeAttribute("read:orders").GetRequirements().Single();
        Assert.False(requirement.IsMetBy(new HashSet<string> { "read:orders2", "xread:orders", "read:Orders", "read" }));
        Assert.True(requirement.IsMetBy(new HashSet<string> { "read:orders" }));
    }

    [Fact]
    public void Attributes_AreSealedAndStackable()
    {
        foreach (var type in new[] { typeof(RequireScopeAttribute), typeof(RequireAnyScopeAttribute), typeof(RequirePermissionAttribute), typeof(RequireCallerTypeAttribute) })
        {
            Assert.True(type.IsSealed);
            var usage = (AttributeUsageAttribute)Attribute.GetCustomAttribute(type, typeof(AttributeUsageAttribute))!;
            Assert.True(usage.AllowMultiple);
            Assert.True(typeof(IAuthorizationRequirementData).IsAssignableFrom(type));
        }
    }

    [Fact]
    public void CallerType_UndefinedValue_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequireCallerTypeAttribute((FaableCallerType)7));

    [Fact]
    public void EndpointConvention_EmptyList_ThrowsWhenConfigured()
    {
        var builder = WebApplication.CreateSlimBuilder().Build();
        var endpoint = builder.MapGet("/", () => "x");
        Assert.Throws<ArgumentException>(() => endpoint.RequireScope());
        Assert.Throws<ArgumentException>(() => endpoint.RequireAnyScope());
        Assert.Throws<ArgumentException>(() => endpoint.RequirePermission());
    }

    [Fact]
    public void EndpointConvention_AddsMetadata()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.MapGet("/", () => "x").RequireScope("read:orders").RequireCallerType(FaableCallerType.User);
        var endpoint = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).Single();

        Assert.Equal(["read:orders"], endpoint.Metadata.GetMetadata<RequireScopeAttribute>()!.Scopes);
        Assert.Equal(FaableCallerType.User, endpoint.Metadata.GetMetadata<RequireCallerTypeAttribute>()!.CallerType);
    }
}
