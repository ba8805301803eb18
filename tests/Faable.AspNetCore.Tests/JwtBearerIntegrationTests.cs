using System.Net;
using System.Security.Claims;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.Tests;

/// <summary>JwtBearer's events keep working on the Faable scheme, and its own token path applies the same rules.</summary>
public sealed class JwtBearerIntegrationTests
{
    [Fact]
    public async Task TokenValidatedEvent_AddsAScope_AuthorizationSeesIt()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
            o.Events.OnTokenValidated = context =>
            {
                ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("scope", "write:orders"));
                return Task.CompletedTask;
            }));
        var token = api.Tokens(TestKey.Shared(0)).Create(c => c["scope"] = "read:orders");

        using var first = await api.GetAsync("/orders/edit", token);
        using var repeated = await api.GetAsync("/orders/edit", token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
    }

    [Fact]
    public async Task TokenValidatedOverriddenInEventsSubclass_RunsForFirstAndRepeatedToken()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
        {
            var scopeAdding = new ScopeAddingEvents();
            scopeAdding.OnMessageReceived = o.Events.OnMessageReceived;
            scopeAdding.OnChallenge = o.Events.OnChallenge;
            scopeAdding.OnForbidden = o.Events.OnForbidden;
            o.Events = scopeAdding;
        }));
        var token = api.Tokens(TestKey.Shared(0)).Create(c => c["scope"] = "read:orders");

        using var first = await api.GetAsync("/orders/edit", token);
        using var repeated = await api.GetAsync("/orders/edit", token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
    }

    [Fact]
    public async Task NoTokenValidatedHandler_ProtectedEndpoint_StillAuthorizesByScope()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant);
        var tokens = api.Tokens(TestKey.Shared(0));
        var write = tokens.Create(c => c["scope"] = "read:orders write:orders");
        var read = tokens.Create(c => c["scope"] = "read:orders");

        using var allowed = await api.GetAsync("/orders/edit", write);
        using var allowedAgain = await api.GetAsync("/orders/edit", write);
        using var forbidden = await api.GetAsync("/orders/edit", read);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public void Identity_ClonedThenChanged_ReadsTheChangedClaims()
    {
        var key = Faable.AspNetCore.Internal.JwksParser.Parse(System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { TestKey.Shared(0).ToJwk() } })), [])!.Values.Single();
        var token = new Faable.AspNetCore.Internal.ValidatedToken(key, "https://acme.auth.faable.link", ApiHost.Start.AddHours(1), null, [new("scope", "read:orders", ClaimValueTypes.String)]);
        var original = new ClaimsPrincipal(token.CreateIdentity());

        var unchangedCopy = new ClaimsPrincipal(original.Identities.Single().Clone());
        var changedIdentity = original.Identities.Single().Clone();
        changedIdentity.AddClaim(new Claim("scope", "write:orders"));
        var changed = new ClaimsPrincipal(changedIdentity);

        Assert.True(unchangedCopy.HasScope("read:orders"));
        Assert.False(unchangedCopy.HasScope("write:orders"));
        Assert.True(changed.HasScope("write:orders"));
        Assert.True(changed.HasScope("read:orders"));
        Assert.False(original.HasScope("write:orders"));
    }

    [Fact]
    public async Task AuthenticationFailedEvent_SeesTheReason()
    {
        string? seen = null;
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
            o.Events.OnAuthenticationFailed = context =>
            {
                seen = context.Exception.Message;
                return Task.CompletedTask;
            }));
        var tokens = api.Tokens(TestKey.Shared(0));

        using var response = await api.GetAsync("/orders", tokens.Create(c => c["exp"] = tokens.Now - 600));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The token has expired.", seen);
    }

    [Fact]
    public async Task MessageReceivedReplaced_JwtBearerTokenPath_AppliesTheSameRules()
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, services: s => s.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
            o.Events.OnMessageReceived = _ => Task.CompletedTask));
        var tokens = api.Tokens(TestKey.Shared(0));

        using var valid = await api.GetAsync("/orders", tokens.Create());
        using var expired = await api.GetAsync("/orders", tokens.Create(c => c["exp"] = tokens.Now - 600));
        using var hs256 = await api.GetAsync("/orders", tokens.Create(header: h => h["alg"] = "HS256"));

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        var problem = await Problem.ReadAsync(expired);
        Assert.Equal((401, "expired"), (problem.Status, problem.Reason));
        Assert.Equal("algorithm_not_allowed", (await Problem.ReadAsync(hs256)).Reason);
    }

    private sealed class ScopeAddingEvents : JwtBearerEvents
    {
        public override Task TokenValidated(TokenValidatedContext context)
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("scope", "write:orders"));
            return base.TokenValidated(context);
        }
    }
}
