// <snippet:actions-in-code>
using Faable.Actions;
// </snippet:actions-in-code>
// <snippet:actions-event-json>
using Faable.Actions.Events;
using Faable.Actions.Flow;
// </snippet:actions-event-json>
// <snippet:actions-in-memory>
using Faable.Actions.Loading;
// </snippet:actions-in-memory>
using Faable.Actions.Testing;
// <snippet:actions-redis>
using Faable.Actions.Stores;
using Faable.Redis;
using StackExchange.Redis;
// </snippet:actions-redis>
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Docs.Tests.Actions;

/// <summary>The C# examples of src/Faable.Actions/README.md (and of Faable.Redis' README), run as written.</summary>
public sealed class ActionsReadmeTests(SharedRedis redis)
{
    private static readonly LoginEvent s_withoutEmail = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();

    [Fact]
    public async Task EventAsFaableLogsIt_RunsAndSnapshots()
    {
        var ct = TestContext.Current.CancellationToken;
        var engine = new FaableActionsEngine(
            [new FaableAction("network", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event, api) => { if (event.request.ip_network_active_blocks > 2) api.access.review('blocked_network') }")],
            new FaableActionsOptions());

        // <snippet:actions-event-json>
        var login = LoginEvent.FromJson("""
            {
              "user": { "user_id": "user_gh", "email_verified": true, "app_metadata": { "plan": "pro" } },
              "connection": { "name": "github", "strategy": "github" },
              "request": { "ip": "203.0.113.9", "ip_network_active_blocks": 3 },
              "stats": { "is_new_user": true }
            }
            """);
        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, sessionId: "browser-1"), ct);
        Assert.True(outcome.HasReview("blocked_network"), outcome.ToString());
        string snapshot = login.ToJson(indented: true);
        // </snippet:actions-event-json>

        Assert.Contains("\"ip_network_active_blocks\": 3", snapshot, StringComparison.Ordinal);
        Assert.Equal(login.ToJson(), LoginEvent.FromJson(snapshot).ToJson());
    }

    [Fact]
    public async Task ActionsInCode_RunInOrder_JavaScriptAndCSharp()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new FaableActionsOptions();
        var timeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));

        // <snippet:actions-in-code>
        var actions = new[]
        {
            new FaableAction("gate", ActionTrigger.PostLogin, File.ReadAllText("scripts/gate.js")) { Order = 10 },
            // Exports onExecutePostLogin and onContinuePostLogin: registered once, both run.
            new FaableAction("profile", ActionTrigger.PostLogin, File.ReadAllText("scripts/profile.js")) { Order = 20 },
            new FaableAction("rules", ActionTrigger.PostLogin, "if (Event.User.Email is null) Api.Access.Deny(\"No email.\");")
                { Order = 30, Language = ActionLanguage.CSharp },
        };
        var engine = new FaableActionsEngine(actions, options, timeProvider, store: null, loggerFactory: null, meterFactory: null);
        // </snippet:actions-in-code>

        var datacenter = LoginEventBuilder.For("user_1").WithName("Ada").WithEmail("ada@example.com").WithIpDatacenter(true).Build();
        var denied = await engine.RunPostLoginAsync(datacenter, FlowContext.For(datacenter, "browser-1"), ct);
        Assert.Equal(("gate", "datacenter"), (denied.Denial?.ActionName, denied.Denial?.Code));
        Assert.Single(denied.Trace);

        var nameless = LoginEventBuilder.For("user_2").WithEmail("grace@example.com").Build();
        var paused = await engine.RunPostLoginAsync(nameless, FlowContext.For(nameless, "browser-2"), ct);
        Assert.True(paused.IsRedirected, paused.ToString());
        var resumed = await engine.ContinueAsync(paused.Redirect!.State, nameless.User with { Name = "Grace" }, FlowContext.For(nameless, "browser-2"), ct);
        Assert.True(resumed.IsAllowed && resumed.HasReview("profile_completed"), resumed.ToString());

        var noEmail = LoginEventBuilder.For("user_3").WithName("Linus").WithoutEmail().Build();
        var refused = await engine.RunPostLoginAsync(noEmail, FlowContext.For(noEmail, "browser-3"), ct);
        Assert.Equal(("rules", "No email."), (refused.Denial?.ActionName, refused.Denial?.Reason));
    }

    [Fact]
    public async Task ActionsInMemory_FollowTheFolderRules()
    {
        var ct = TestContext.Current.CancellationToken;

        // <snippet:actions-in-memory>
        var actions = ActionFolder.Load(new Dictionary<string, string>
        {
            ["10-gate.js"] = "exports.onExecutePostLogin = async (event, api) => { if (!event.user.email_verified) api.access.deny('Verify your email first.') }",
            ["20-profile.continue.js"] = "exports.onContinuePostLogin = async (event, api) => { api.access.review('came_back') }",
        });
        // </snippet:actions-in-memory>

        var engine = new FaableActionsEngine(actions, new FaableActionsOptions());
        Assert.Equal([("gate", 10, ActionTrigger.PostLogin), ("profile", 20, ActionTrigger.Continue)], actions.Select(a => (a.Name, a.Order, a.Trigger)));
        var login = LoginEventBuilder.For("user_1").WithEmail("ada@example.com", verified: false).Build();
        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "browser-1"), ct);
        Assert.Equal("Verify your email first.", outcome.Denial?.Reason);
    }

    [Fact]
    public async Task DependencyInjection_BuildsTheEngineFromTheFolder()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Faable:Actions:ActionsPath"] = Path.Combine(AppContext.BaseDirectory, "actions") });

        // <snippet:actions-di>
        builder.Services.AddFaableActions(builder.Configuration.GetSection("Faable:Actions"));
        // </snippet:actions-di>

        using var host = builder.Build();
        await host.StartAsync(ct);
        var engine = host.Services.GetRequiredService<FaableActionsEngine>();
        var outcome = await engine.RunPostLoginAsync(s_withoutEmail, FlowContext.For(s_withoutEmail, "browser-1"), ct);
        Assert.True(outcome.IsRedirected, outcome.ToString());
        await host.StopAsync(ct);
    }

    [Fact]
    public async Task Redis_ByConnectionString_KeepsPausedFlowsInRedis()
    {
        var builder = CreateBuilder();

        // <snippet:actions-redis>
        builder.Services.AddFaableActions(builder.Configuration.GetSection("Faable:Actions"))
            .UseRedis(builder.Configuration.GetConnectionString("Redis")!);   // "redis-1:6379,password=…,ssl=true"; or Faable:Actions:Redis:Configuration
        // </snippet:actions-redis>

        await AssertPausedFlowInRedisAsync(builder, "{faable:actions}:");
    }

    [Fact]
    public async Task Redis_OverTheApplicationsConnection_KeepsPausedFlowsUnderItsPrefix()
    {
        var builder = CreateBuilder();
        await using var connectionMultiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);

        // <snippet:actions-redis>
        // or over a connection the application already has (never disposed by Faable):
        builder.Services.AddFaableActions(builder.Configuration.GetSection("Faable:Actions"))
            .UseRedis(o =>
            {
                o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connectionMultiplexer);
                o.KeyPrefix = "{shop:actions}:";
            });
        // </snippet:actions-redis>

        await AssertPausedFlowInRedisAsync(builder, "{shop:actions}:");
        Assert.True(connectionMultiplexer.IsConnected, "the application's connection was disposed");
    }

    [Fact]
    public async Task Redis_StoreInCode_KeepsPausedFlowsUnderItsPrefix()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connectionMultiplexer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);

        // <snippet:actions-redis>
        // or in code, without DI:
        var store = new RedisActionFlowStore(connectionMultiplexer, new FaableRedisOptions { KeyPrefix = "{shop:actions}:" });
        // </snippet:actions-redis>

        var engine = new FaableActionsEngine(ActionFolder.Load("actions"), new FaableActionsOptions(), store: store);
        var outcome = await engine.RunPostLoginAsync(s_withoutEmail, FlowContext.For(s_withoutEmail, "browser-1"), ct);
        Assert.True(outcome.IsRedirected, outcome.ToString());
        Assert.NotEmpty(FlowKeys(connectionMultiplexer, "{shop:actions}:"));
    }

    [Fact]
    public async Task RedisReadme_BothPackages_ShareOneServer()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = AspNetCore.DocsApi.CreateBuilder(Environments.Development, new Dictionary<string, string?>
        {
            ["Faable:Webhooks:Secret"] = "whsec_readme_examples_secret",
            ["Faable:Actions:ActionsPath"] = Path.Combine(AppContext.BaseDirectory, "actions"),
        });

        // <snippet:redis-both-packages>
        var redis = builder.Configuration.GetConnectionString("Redis")!;   // "redis-1:6379,ssl=true"
        builder.Services.AddFaableWebhooks(builder.Configuration.GetSection("Faable:Webhooks"))
            .UseRedis(redis);
        builder.Services.AddFaableActions(builder.Configuration.GetSection("Faable:Actions"))
            .UseRedis(o =>
            {
                o.Configuration = redis;
                o.KeyPrefix = "{shop:actions}:";
            });
        // </snippet:redis-both-packages>

        await using var app = builder.Build();
        await app.StartAsync(ct);
        var engine = app.Services.GetRequiredService<FaableActionsEngine>();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var before = FlowKeys(connection, "{shop:actions}:").Count;
        Assert.True((await engine.RunPostLoginAsync(s_withoutEmail, FlowContext.For(s_withoutEmail, "browser-1"), ct)).IsRedirected);
        Assert.Equal(before + 1, FlowKeys(connection, "{shop:actions}:").Count);
        Assert.Equal(0, await app.Services.GetRequiredService<Faable.Webhooks.IFaableWebhookInbox>().GetBacklogAsync(ct));
        await app.StopAsync(ct);
    }

    private static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Faable:Actions:ActionsPath"] = Path.Combine(AppContext.BaseDirectory, "actions") });
        return builder;
    }

    private async Task AssertPausedFlowInRedisAsync(HostApplicationBuilder builder, string prefix)
    {
        var ct = TestContext.Current.CancellationToken;
        using var host = builder.Build();
        await host.StartAsync(ct);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var before = FlowKeys(connection, prefix).Count;

        var engine = host.Services.GetRequiredService<FaableActionsEngine>();
        var outcome = await engine.RunPostLoginAsync(s_withoutEmail, FlowContext.For(s_withoutEmail, "browser-1"), ct);

        Assert.True(outcome.IsRedirected, outcome.ToString());
        Assert.Equal(before + 1, FlowKeys(connection, prefix).Count);
        await host.StopAsync(ct);
    }

    private static List<RedisKey> FlowKeys(IConnectionMultiplexer connection, string prefix) =>
        [.. connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: prefix.Replace("{", "\\{", StringComparison.Ordinal).Replace("}", "\\}", StringComparison.Ordinal) + "flows:*")];
}
