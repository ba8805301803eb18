using System.Net;
using System.Text.Json;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.Tests.Authorization;

/// <summary>Scope, permission and caller-type requirements on minimal APIs, route groups and controllers.</summary>
public sealed class AuthorizationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private TokenFactory Tokens => fixture.Tokens;

    private async Task<int> StatusAsync(string path, Action<Dictionary<string, object?>>? claims = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", Tokens.Create(claims));
        using var response = await fixture.Api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return (int)response.StatusCode;
    }

    [Theory]
    [InlineData("read:orders write:orders", 200)]
    [InlineData("read:orders", 403)]
    [InlineData("write:orders", 403)]
    public async Task RequireScope_SeveralScopes_RequiresAll(string scope, int expected) =>
        Assert.Equal(expected, await StatusAsync("/orders/edit", c => c["scope"] = scope));

    [Theory]
    [InlineData("read:orders", 200)]
    [InlineData("admin", 200)]
    [InlineData("write:orders", 403)]
    public async Task RequireAnyScope_SeveralScopes_RequiresOne(string scope, int expected) =>
        Assert.Equal(expected, await StatusAsync("/any", c => c["scope"] = scope));

    [Theory]
    [InlineData("admin read:users", 200)]
    [InlineData("read:users", 403)]
    [InlineData("admin", 403)]
    public async Task RouteGroup_GroupAndEndpointRequirements_BothApply(string scope, int expected) =>
        Assert.Equal(expected, await StatusAsync("/admin/users", c => c["scope"] = scope));

    [Theory]
    [InlineData("admin", 200)]
    [InlineData("read:orders", 403)]
    public async Task RouteGroup_GroupRequirement_AppliesToEveryEndpoint(string scope, int expected) =>
        Assert.Equal(expected, await StatusAsync("/admin/stats", c => c["scope"] = scope));

    [Fact]
    public async Task RouteGroup_NoToken_Answers401()
    {
        using var response = await fixture.Api.GetAsync("/admin/stats", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("read:orders", "write:orders", 200)]
    [InlineData("read:orders write:orders", null, 403)]
    [InlineData(null, "read:orders write:orders", 200)]
    [InlineData("openid", "write:orders", 403)]
    public async Task Stacked_ScopeAndPermission_BothApply(string? scope, string? permissions, int expected) =>
        Assert.Equal(expected, await StatusAsync("/stacked", c =>
        {
            c["scope"] = scope;
            c["permissions"] = permissions;
        }));

    [Fact]
    public async Task RequireCallerType_MachineToken_OnlyMachineEndpoint()
    {
        Action<Dictionary<string, object?>> machine = c => c["sub"] = c["client_id"];
        Assert.Equal(200, await StatusAsync("/machine", machine));
        Assert.Equal(403, await StatusAsync("/user", machine));
        Assert.Equal(200, await StatusAsync("/user"));
        Assert.Equal(403, await StatusAsync("/machine"));
    }

    [Fact]
    public async Task RequireCallerType_Wrong_AnswersWrongCallerType()
    {
        using var response = await fixture.Api.GetAsync("/machine", Tokens.Create());
        var problem = await Problem.ReadAsync(response);
        Assert.Equal((403, "insufficient_scope", "wrong_caller_type"), (problem.Status, problem.Error, problem.Reason));
    }

    [Theory]
    [InlineData("read:orders", "GET", "/mvc/orders", 200)]
    [InlineData("openid", "GET", "/mvc/orders", 403)]
    [InlineData("read:orders", "POST", "/mvc/orders", 403)]
    [InlineData("read:orders support", "GET", "/mvc/orders/either", 200)]
    [InlineData("read:orders", "GET", "/mvc/orders/either", 403)]
    [InlineData("support", "GET", "/mvc/orders/either", 403)]
    [InlineData("read:orders", "GET", "/mvc/open", 200)]
    [InlineData("openid", "GET", "/mvc/open/scoped", 403)]
    [InlineData("read:orders", "GET", "/mvc/open/scoped", 200)]
    public async Task Controller_Attributes_AreEnforced(string scope, string method, string path, int expected) =>
        Assert.Equal(expected, await StatusAsync(path, c => c["scope"] = scope, new HttpMethod(method)));

    [Fact]
    public async Task Controller_PermissionAttribute_ReadsPermissionsOnly()
    {
        Assert.Equal(200, await StatusAsync("/mvc/orders", c => c["permissions"] = new[] { "read:orders", "write:orders" }, HttpMethod.Post));
        Assert.Equal(403, await StatusAsync("/mvc/orders", c => c["scope"] = "read:orders write:orders", HttpMethod.Post));
    }

    [Fact]
    public async Task Controller_NoToken_Answers401OnAttributeOnlyEndpoint()
    {
        using var response = await fixture.Api.GetAsync("/mvc/open/scoped", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("read:orders", null, 403)]
    [InlineData("openid", "admin", 403)]
    [InlineData("read:orders", "admin", 200)]
    public async Task Controller_NamedPolicyAndScopeAttribute_BothMustHold(string scope, string? role, int expected) =>
        Assert.Equal(expected, await StatusAsync("/mvc/orders/admin", c =>
        {
            c["scope"] = scope;
            if (role is not null)
            {
                c["roles"] = new[] { role };
            }
        }));

    [Fact]
    public async Task Forbidden_Answer_CarriesRequiredAndGrantedAndScopeParameter()
    {
        using var response = await fixture.Api.GetAsync("/orders/edit", Tokens.Create(c => c["scope"] = "openid read:orders"));
        var problem = await Problem.ReadAsync(response);

        Assert.Equal((403, "insufficient_scope", "insufficient_scope"), (problem.Status, problem.Error, problem.Reason));
        Assert.Contains("error=\"insufficient_scope\"", problem.Challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"read:orders write:orders\"", problem.Challenge, StringComparison.Ordinal);
        Assert.Equal(["read:orders", "write:orders"], problem.Body!.Value.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["openid", "read:orders"], problem.Body!.Value.GetProperty("granted").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Principal_Claims_AreNotRenamed()
    {
        using var response = await fixture.Api.GetAsync("/whoami", Tokens.Create(c => c["permissions"] = new[] { "read:orders", "write:orders" }));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var types = body.RootElement.GetProperty("claimTypes").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("sub", types);
        Assert.Contains("scope", types);
        Assert.Contains("permissions", types);
        Assert.DoesNotContain(types, t => t!.StartsWith("http://", StringComparison.Ordinal));
        Assert.Equal("user_66f1a2b3c4d5e6f7a8b9c0d1", body.RootElement.GetProperty("sub").GetString());
    }
}
