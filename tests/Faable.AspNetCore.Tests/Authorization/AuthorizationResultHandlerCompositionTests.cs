using System.Net;
using System.Text.Json;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Faable.AspNetCore.Tests.Authorization;

/// <summary>An application's own <see cref="IAuthorizationMiddlewareResultHandler"/> and Faable's 403 answers, in either registration order.</summary>
public sealed class AuthorizationResultHandlerCompositionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppHandler_EitherOrder_KeepsItsBehaviourAndFaables403(bool registeredBeforeAddFaableAuth)
    {
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        var time = new FakeTimeProvider(ApiHost.Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        if (registeredBeforeAddFaableAuth)
        {
            builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, TaggingResultHandler>();
        }

        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = tenant.Issuer;
            o.Audience = ApiHost.Audience;
            o.RequireHttpsMetadata = false;
        });
        if (!registeredBeforeAddFaableAuth)
        {
            builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, TaggingResultHandler>();
        }

        await using var app = builder.Build();
        app.UseFaableAuth();
        app.MapGet("/orders", () => "ok").RequireScope("read:orders");
        app.MapGet("/hidden", () => "ok").RequireScope("admin:hidden");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var client = app.GetTestClient();
        var tokens = new TokenFactory(tenant.Issuer, ApiHost.Audience, time, TestKey.Shared(0));

        using var forbidden = await SendAsync(client, "/orders", tokens.Create(c => c["scope"] = "openid"));
        using var appDecides = await SendAsync(client, "/hidden", tokens.Create(c => c["scope"] = "openid"));
        using var allowed = await SendAsync(client, "/orders", tokens.Create(c => c["scope"] = "read:orders"));

        // The application's handler ran (its header) and delegated: Faable's 403 answer is intact.
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("seen", Assert.Single(forbidden.Headers.GetValues(TaggingResultHandler.Header)));
        Assert.Contains("error=\"insufficient_scope\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("scope=\"read:orders\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await forbidden.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("insufficient_scope", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal(["read:orders"], body.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        // Where the application answers by itself, its answer stands.
        Assert.Equal(HttpStatusCode.NotFound, appDecides.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("seen", Assert.Single(allowed.Headers.GetValues(TaggingResultHandler.Header)));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>An application's handler: tags every answer, hides <c>/hidden</c> behind 404, and otherwise delegates to the framework's default.</summary>
    private sealed class TaggingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        public const string Header = "X-App-Authorization";
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            context.Response.Headers[Header] = "seen";
            if (authorizeResult.Forbidden && context.Request.Path == "/hidden")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
