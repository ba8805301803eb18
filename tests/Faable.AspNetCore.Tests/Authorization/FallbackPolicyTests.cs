using System.Net;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.Tests.Authorization;

/// <summary>Requirements combined with a fallback policy and with <c>TrustPermissionsOnly</c>.</summary>
public sealed class FallbackPolicyTests
{
    [Fact]
    public async Task FallbackPolicy_EndpointWithoutMetadata_RequiresAuthentication()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.AddAuthorization(o =>
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()));
        var tokens = api.Tokens(TestKey.Shared(0));

        using var anonymous = await api.GetAsync("/open", null);
        using var authenticated = await api.GetAsync("/open", tokens.Create());
        using var scopedWithoutScope = await api.GetAsync("/orders", tokens.Create(c => c["scope"] = "openid"));
        using var expired = await api.GetAsync("/open", tokens.Create(c => c["exp"] = tokens.Now - 600));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, scopedWithoutScope.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task TrustPermissionsOnly_ScopeClaimIgnored()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TrustPermissionsOnly = true);
        var tokens = api.Tokens(TestKey.Shared(0));

        using var scopeOnly = await api.GetAsync("/orders", tokens.Create(c => c["scope"] = "read:orders"));
        using var permission = await api.GetAsync("/orders", tokens.Create(c => { c["scope"] = "openid"; c["permissions"] = "read:orders"; }));

        Assert.Equal(HttpStatusCode.Forbidden, scopeOnly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, permission.StatusCode);
    }
}
