using Faable.Redis;
using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Faable.Actions.Testing;
using Faable.Actions.Tests.Flow;
using Faable.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Faable.Actions.Tests;

public sealed class FaableActionsServiceCollectionExtensionsTests : IDisposable
{
    private const string Key = "di-tests-resume-state-key-of-32-bytes-or-more";
    private const string RedirectAction = "exports.onExecutePostLogin = async (event, api) => { api.redirect.sendUserTo('https://shop.example.com/p') }";
    private readonly string _folder = Directory.CreateTempSubdirectory("faable-actions-di-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Faable:Actions");

    [Fact]
    public async Task AddFaableActions_FromConfiguration_BindsOptionsLoadsTheFolderAndAddsRegisteredActions()
    {
        File.WriteAllText(Path.Combine(_folder, "10-pause.js"), RedirectAction);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new FaableAction("from-code", ActionTrigger.Continue, "exports.onContinuePostLogin = async () => {}"));
        services.AddFaableActions(Section(new()
        {
            ["Faable:Actions:ResumeStateKey"] = Key,
            ["Faable:Actions:StateLifetime"] = "00:05:00",
            ["Faable:Actions:Limits:Timeout"] = "00:00:02",
            ["Faable:Actions:ActionsPath"] = _folder,
        }));
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<FaableActionsEngine>();
        var login = LoginEventBuilder.For("user_1").Build();
        var outcome = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.Equal(["pause", "from-code"], engine.Actions.Select(a => a.Name));
        Assert.Equal(TimeSpan.FromSeconds(2), provider.GetRequiredService<IOptions<FaableActionsOptions>>().Value.Limits.Timeout);
        Assert.Equal(clock.GetUtcNow().AddMinutes(5), outcome.Redirect!.ExpiresAt);
        Assert.IsType<InMemoryActionFlowStore>(provider.GetRequiredService<IActionFlowStore>());
    }

    [Fact]
    public async Task AddFaableActions_InvalidConfiguration_StartFailsListingEveryError()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFaableActions(Section(new()
        {
            ["Faable:Actions:StateLifetime"] = "-00:00:01",
            ["Faable:Actions:Limits:MaxRecursionDepth"] = "2147483647",
            ["Faable:Actions:ActionsPath"] = Path.Combine(_folder, "missing"),
        }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:ResumeStateKey is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:StateLifetime", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:Limits:MaxRecursionDepth", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:ActionsPath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddFaableActions_NoKeyInDevelopment_StartsWithAnEphemeralKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Services.AddFaableActions(Section(new()));
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services.GetRequiredService<FaableActionsEngine>());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AddFaableActions_NoKeyInProduction_StartFailsNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Services.AddFaableActions(Section(new()));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:ResumeStateKey is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddFaableActions_ScriptThatDoesNotCompile_StopsTheStart()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.js"), "exports.onExecutePostLogin = async (event, api) => { if ( }");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFaableActions(o =>
        {
            o.ResumeStateKey = Key;
            o.ActionsPath = _folder;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<ActionScriptException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("broken", error.ActionName);
    }

    [Fact]
    public async Task AddFaableActions_BadManifest_StopsTheStart()
    {
        File.WriteAllText(Path.Combine(_folder, "a.js"), RedirectAction);
        File.WriteAllText(Path.Combine(_folder, "actions.json"), """{"actions":[{"file":"a.js","order":"first"}]}""");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFaableActions(o =>
        {
            o.ResumeStateKey = Key;
            o.ActionsPath = _folder;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Faable.Actions.Loading.ActionFolderException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("actions[0].order must be a whole number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Limits:Timeout", "-00:00:01")]
    [InlineData("Limits:Timeout", "01:00:00")]
    [InlineData("Limits:MaxRecursionDepth", "0")]
    [InlineData("Limits:MaxMemoryBytes", "9223372036854775807")]
    [InlineData("Limits:MaxArraySize", "4294967295")]
    [InlineData("Limits:MaxConsoleBytes", "-1")]
    [InlineData("Limits:MaxConcurrentExecutions", "0")]
    [InlineData("Limits:ConcurrencyWait", "00:02:00")]
    [InlineData("DenyCountWindow", "00:00:00")]
    [InlineData("ResumeStateKey", "thirty-one-bytes-is-one-too-few")]
    public void AddFaableActions_OneInvalidValue_IsNamed(string key, string value)
    {
        var services = new ServiceCollection();
        services.AddFaableActions(Section(new() { ["Faable:Actions:ResumeStateKey"] = Key, ["Faable:Actions:" + key] = value }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FaableActionsOptions>>().Value);

        Assert.StartsWith("Faable:Actions:" + key, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void AddFaableActions_CalledTwice_RegistersOneEngine()
    {
        var services = new ServiceCollection();
        services.AddFaableActions(o => o.ResumeStateKey = Key);
        services.AddFaableActions();

        Assert.Single(services, d => d.ServiceType == typeof(FaableActionsEngine));
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<FaableActionsEngine>(), provider.GetRequiredService<FaableActionsEngine>());
    }

    [Fact]
    public async Task Engine_FromContainer_RecordsRunMetricsByOutcome()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton(new FaableAction("pause", ActionTrigger.PostLogin, RedirectAction));
        services.AddFaableActions(o => o.ResumeStateKey = Key);
        await using var provider = services.BuildServiceProvider();
        using var runs = new MetricCollector<long>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Faable.Actions", "faable.actions.runs");
        using var durations = new MetricCollector<double>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Faable.Actions", "faable.actions.run.duration");
        using var rejections = new MetricCollector<long>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Faable.Actions", "faable.actions.resume_rejections");
        var engine = provider.GetRequiredService<FaableActionsEngine>();
        var login = LoginEventBuilder.For("user_1").Build();

        await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);
        await engine.ContinueAsync("forged", login.User, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        var run = Assert.Single(runs.GetMeasurementSnapshot());
        Assert.Equal(("post-login", "redirected"), ((string)run.Tags["faable.action.trigger"]!, (string)run.Tags["faable.action.outcome"]!));
        Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal("Malformed", Assert.Single(rejections.GetMeasurementSnapshot()).Tags["error.type"]);
    }

    [Fact]
    public async Task Engine_Logs_UseEventIdsAndNeverContainTheState()
    {
        var collector = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        services.AddSingleton(new FaableAction("pause", ActionTrigger.PostLogin, RedirectAction));
        services.AddFaableActions(o => o.ResumeStateKey = Key);
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<FaableActionsEngine>();
        var login = LoginEventBuilder.For("user_1").Build();

        var paused = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);
        await engine.ContinueAsync(paused.Redirect!.State, login.User, FlowContext.For(login, "other-session"), TestContext.Current.CancellationToken);

        var logs = collector.GetSnapshot();
        Assert.Contains(logs, l => l.Id.Id == 3002);
        Assert.Contains(logs, l => l.Id.Id == 3004 && l.Message.Contains("WrongSession", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.InRange(l.Id.Id, 3000, 3099));
        Assert.DoesNotContain(logs, l => l.Message.Contains(paused.Redirect.State[..20], StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseRedis_InvalidOptions_StartFailsListingEveryError()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFaableActions(o => o.ResumeStateKey = Key).UseRedis(o => o.KeyPrefix = "shop actions");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:Redis:Configuration is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:Redis:KeyPrefix contains whitespace", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:Redis:KeyPrefix 'shop actions' has no Redis hash tag", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Actions:Redis:KeyPrefix 'shop actions' must end with ':'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddFaableActions_OtherSection_MessagesNameIt()
    {
        var builder = Host.CreateApplicationBuilder();
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Login:Actions:StateLifetime"] = "-00:00:01",
            ["Login:Actions:Redis:Configuration"] = "localhost:6379",
            ["Login:Actions:Redis:KeyPrefix"] = "login:",
        }).Build().GetSection("Login:Actions");
        builder.Services.AddFaableActions(section);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        var failures = error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();

        Assert.Contains(failures, f => f.StartsWith("Login:Actions:ResumeStateKey is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Login:Actions:StateLifetime", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Login:Actions:Redis:KeyPrefix 'login:' has no Redis hash tag", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("Faable:", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFaableActions_ReturnsOneBuilderAndRegistersOnce_WhateverTheOverload()
    {
        var services = new ServiceCollection();

        var first = services.AddFaableActions(o => o.ResumeStateKey = Key);
        var second = services.AddFaableActions(Section(new() { ["Faable:Actions:ActionsPath"] = _folder })).AddAction(new FaableAction("a", ActionTrigger.PostLogin, RedirectAction));
        var third = services.AddFaableActions();

        Assert.Same(services, first.Services);
        Assert.Same(services, second.Services);
        Assert.Same(services, third.Services);
        Assert.Single(services, d => d.ServiceType == typeof(FaableActionsEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<FaableActionsOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(["a"], provider.GetRequiredService<FaableActionsEngine>().Actions.Select(a => a.Name));
    }

    [Fact]
    public void AddFaableActions_SectionWithUnparsableRedisConfiguration_IsNamed()
    {
        var services = new ServiceCollection();
        services.AddFaableActions(Section(new() { ["Faable:Actions:ResumeStateKey"] = Key, ["Faable:Actions:Redis:Configuration"] = "localhost:6379,noSuchOption=1" }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>().Get("Faable.Actions"));

        Assert.StartsWith("Faable:Actions:Redis:Configuration is not a valid StackExchange.Redis configuration", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFaableActions_SectionWithRedis_TwoInstancesShareFlowsThroughRedis()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await LocalRedis.StartAsync(ct);
        File.WriteAllText(Path.Combine(_folder, "10-pause.js"), RedirectAction);
        var settings = new Dictionary<string, string?>
        {
            ["Faable:Actions:ResumeStateKey"] = Key,
            ["Faable:Actions:ActionsPath"] = _folder,
            ["Faable:Actions:Redis:Configuration"] = redis.Configuration,
            ["Faable:Actions:Redis:KeyPrefix"] = "{shop:actions}:",
        };
        ServiceProvider Instance()
        {
            var services = new ServiceCollection();
            services.AddFaableActions(Section(settings));
            return services.BuildServiceProvider();
        }

        await using var instanceA = Instance();
        await using var instanceB = Instance();
        var login = LoginEventBuilder.For("user_1").Build();
        var context = FlowContext.For(login, "s");

        var paused = await instanceA.GetRequiredService<FaableActionsEngine>().RunPostLoginAsync(login, context, ct);
        var resumed = await instanceB.GetRequiredService<FaableActionsEngine>().ContinueAsync(paused.Redirect!.State, login.User, context, ct);
        var replay = await instanceA.GetRequiredService<FaableActionsEngine>().ContinueAsync(paused.Redirect.State, login.User, context, ct);

        var store = Assert.IsType<RedisActionFlowStore>(instanceA.GetRequiredService<IActionFlowStore>());
        Assert.Equal("{shop:actions}:", store.KeyPrefix);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    [Fact]
    public async Task UseRedis_WithConnection_UsesItWithoutRequiringAConfigurationAndLeavesItOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await LocalRedis.StartAsync(ct);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFaableActions(o => o.ResumeStateKey = Key).UseRedis(o =>
        {
            o.ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connection);
            o.KeyPrefix = "{blog:actions}:";
        });
        using (var host = builder.Build())
        {
            await host.StartAsync(ct);

            var store = Assert.IsType<RedisActionFlowStore>(host.Services.GetRequiredService<IActionFlowStore>());
            await store.IncrementDenyCountAsync("u", "a", TimeSpan.FromMinutes(1), ct);

            Assert.Equal("{blog:actions}:", store.KeyPrefix);
            await host.StopAsync(ct);
        }

        Assert.True(connection.IsConnected);
        Assert.True(await connection.GetDatabase().KeyExistsAsync("{blog:actions}:deny-counts:1:u:a"));
    }

    [Fact]
    public async Task UseRedis_DefaultPrefix_IsHashTagged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await LocalRedis.StartAsync(ct);
        var services = new ServiceCollection();
        services.AddFaableActions(o => o.ResumeStateKey = Key).UseRedis(redis.Configuration);
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<RedisActionFlowStore>(provider.GetRequiredService<IActionFlowStore>());
        await store.IncrementDenyCountAsync("u{x}", "a", TimeSpan.FromMinutes(1), ct);

        Assert.Equal("{faable:actions}:", store.KeyPrefix);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        Assert.True(await connection.GetDatabase().KeyExistsAsync("{faable:actions}:deny-counts:4:u{x}:a"));
    }

    [Fact]
    public async Task Engine_StoreFailure_LogsAndCountsWithoutTheStateAndFailsClosed()
    {
        var collector = new FakeLogCollector();
        var store = new FailingFlowStore(new InMemoryActionFlowStore());
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        services.AddSingleton<IActionFlowStore>(store);
        services.AddSingleton(new FaableAction("pause", ActionTrigger.PostLogin, RedirectAction));
        services.AddFaableActions(o => o.ResumeStateKey = Key);
        await using var provider = services.BuildServiceProvider();
        using var failures = new MetricCollector<long>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), "Faable.Actions", "faable.actions.store_failures");
        var engine = provider.GetRequiredService<FaableActionsEngine>();
        var login = LoginEventBuilder.For("user_1").Build();
        var paused = await engine.RunPostLoginAsync(login, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);
        store.FailOn = "TryDeleteFlowState";

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, login.User, FlowContext.For(login, "s"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsFailed, outcome.ToString());
        var log = Assert.Single(collector.GetSnapshot(), l => l.Id.Id == 3008);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Contains("TryDeleteFlowState", log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(collector.GetSnapshot(), l => l.Message.Contains(paused.Redirect.State[..20], StringComparison.Ordinal));
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("TryDeleteFlowState", failure.Tags["faable.actions.store.operation"]);
        Assert.Equal("InvalidOperationException", failure.Tags["error.type"]);
    }
}
