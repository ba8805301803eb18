using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Faable.Actions;
using Faable.Actions.Flow;
using Faable.Actions.Testing;
using Faable.Testing;
using Faable.Webhooks;
using Faable.Webhooks.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using StackExchange.Redis;

namespace Faable.Docs.Tests.Root;

/// <summary>The README's one <c>Program.cs</c> (tests/Faable.Docs.App), started and used through all three packages.</summary>
public sealed class ProgramTests(SharedRedis redis)
{
    private const string Audience = "https://orders.example.com";

    [Fact]
    public async Task Program_AcceptsItsTokens_StoresAndHandlesWebhooksInRedis_RunsActionsWithFlowsInRedis()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tenant = new FaableTestTenant();
        await using var root = new WebApplicationFactory<Program>();
        var factory = root.WithWebHostBuilder(b => b.UseFaableTestTenant(tenant, Audience));
        using var client = factory.CreateClient();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = connection.GetDatabase();

        // Faable.AspNetCore: RequireScope on /orders, [RequireScope] on /users.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(client, "/orders", token: null));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(client, "/orders", tenant.CreateUserAccessToken("user_ada").WithScope("read:orders").Build()));
        Assert.Equal(HttpStatusCode.Forbidden, await GetStatusAsync(client, "/orders", tenant.CreateUserAccessToken("user_ada").WithScope("read:users").Build()));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(client, "/orders", tenant.CreateUserAccessToken("user_ada").WithScope("read:orders").WithWrongAudience().Build()));

        // Faable.Webhooks: a signed user.created is stored in Redis, handled, and the user is listed.
        var secret = factory.Services.GetRequiredService<IConfiguration>()["Faable:Webhooks:Secret"]!;
        var delivery = new FaableWebhookSigner(secret).Sign(new UserCreated
        {
            Payload = new FaableUserPayload { User = new FaableUser { UserId = "user_grace", Email = "grace@example.com" } },
        });
        var result = await client.SendFaableWebhookAndWaitAsync(factory.Services, new Uri("/hooks/faable", UriKind.Relative), delivery, ct);
        Assert.Equal(FaableWebhookDispatchOutcome.Handled, result.Outcome);
        Assert.True(await db.KeyExistsAsync("{faable:webhooks}:dedup:" + delivery.DeliveryId), "the delivery was not de-duplicated in Redis");
        Assert.Equal("grace@example.com", factory.Services.GetRequiredService<UserStore>().Find("user_grace")?.Email);

        using var usersRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/users", UriKind.Relative));
        usersRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.CreateMachineAccessToken("orders-job").WithScope("read:users").Build());
        using var users = await client.SendAsync(usersRequest, ct);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        using (var listed = JsonDocument.Parse(await users.Content.ReadAsStringAsync(ct)))
        {
            Assert.Contains(listed.RootElement.EnumerateArray(), u => u.GetProperty("userId").GetString() == "user_grace");
        }

        // Faable.Actions: the actions/ folder pauses a login without email; the paused flow is in Redis, once.
        var engine = factory.Services.GetRequiredService<FaableActionsEngine>();
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, sessionId: "browser-1");
        var paused = await engine.RunPostLoginAsync(login, context, ct);
        Assert.True(paused.IsRedirected, paused.ToString());
        var flows = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: "{faable:actions}:flows:*").ToList();
        Assert.NotEmpty(flows);

        var resumed = await engine.ContinueAsync(paused.Redirect!.State, login.User with { Email = "gh@example.com" }, context, ct);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        var replay = await engine.ContinueAsync(paused.Redirect.State, login.User, context, ct);
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    private static async Task<HttpStatusCode> GetStatusAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
