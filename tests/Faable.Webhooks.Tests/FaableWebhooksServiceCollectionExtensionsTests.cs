using Faable.Redis;
using Faable.Webhooks.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Faable.Webhooks.Tests;

public sealed class FaableWebhooksServiceCollectionExtensionsTests
{
    private static IConfigurationSection Section(string path, Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(path);

    [Fact]
    public async Task AddFaableWebhooks_OtherSection_EveryMessageNamesIt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddFaableWebhooks(Section("Hooks", new() { ["Hooks:MaxAttempts"] = "0" }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.StartsWith("Hooks:Secret", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Hooks:MaxAttempts", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, f => f.Contains("Faable:", StringComparison.Ordinal));
    }

    [Fact]
    public void AddFaableWebhooks_OtherSectionWithRedis_PrefixErrorsNameIt()
    {
        var services = new ServiceCollection();
        services.AddFaableWebhooks(Section("Hooks", new()
        {
            ["Hooks:Secret"] = TestSecrets.Current,
            ["Hooks:Redis:Configuration"] = "localhost:6379",
            ["Hooks:Redis:KeyPrefix"] = "hooks",
        }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>().Get(WebhookRedis.OptionsName));

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.StartsWith("Hooks:Redis:KeyPrefix 'hooks' has no Redis hash tag", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Hooks:Redis:KeyPrefix 'hooks' must end with ':'", StringComparison.Ordinal));
        Assert.Single(services, d => d.ServiceType == typeof(IWebhookInboxStore) && d.ImplementationFactory is not null);
    }

    [Fact]
    public void UseRedis_InCode_AfterASection_NamesThatSection()
    {
        var services = new ServiceCollection();
        services.AddFaableWebhooks(Section("Hooks", new() { ["Hooks:Secret"] = TestSecrets.Current })).UseRedis(o => o.KeyPrefix = "{hooks}");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>().Get(WebhookRedis.OptionsName));

        Assert.Contains(error.Failures, f => f.StartsWith("Hooks:Redis:Configuration is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Hooks:Redis:KeyPrefix '{hooks}' must end with ':'", StringComparison.Ordinal));
    }

    [Fact]
    public void UseRedis_DefaultPrefix_IsHashTagged_AndSectionKeysComposeWithCode()
    {
        var services = new ServiceCollection();
        var connection = Task.FromResult<IConnectionMultiplexer>(null!);
        services.AddFaableWebhooks(Section("Faable:Webhooks", new()
        {
            ["Faable:Webhooks:Secret"] = TestSecrets.Current,
            ["Faable:Webhooks:Redis:KeyPrefix"] = "{shop:webhooks}:",
        })).UseRedis(o => o.ConnectionMultiplexerFactory = () => connection);
        var defaults = new ServiceCollection();
        defaults.AddFaableWebhooks(o => o.Secret = TestSecrets.Current).UseRedis("localhost:6379");
        using var provider = services.BuildServiceProvider();
        using var defaultProvider = defaults.BuildServiceProvider();

        var composed = provider.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>().Get(WebhookRedis.OptionsName);
        var byDefault = defaultProvider.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>().Get(WebhookRedis.OptionsName);

        Assert.Equal("{shop:webhooks}:", composed.KeyPrefix);
        Assert.NotNull(composed.ConnectionMultiplexerFactory);
        Assert.Equal("{faable:webhooks}:", byDefault.KeyPrefix);
        Assert.Equal("localhost:6379", byDefault.Configuration);
    }

    [Fact]
    public void AddFaableWebhooks_SectionWithoutRedisConfiguration_KeepsTheMemoryStore()
    {
        var services = new ServiceCollection();
        services.AddFaableWebhooks(Section("Faable:Webhooks", new()
        {
            ["Faable:Webhooks:Secret"] = TestSecrets.Current,
            ["Faable:Webhooks:Redis:KeyPrefix"] = "{shop:webhooks}:",
        }));

        Assert.Single(services, d => d.ServiceType == typeof(IWebhookInboxStore) && d.ImplementationType == typeof(InMemoryInboxStore));
    }
}
