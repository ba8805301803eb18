using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Tests;

public sealed class FaableWebhookOptionsTests
{
    [Fact]
    public async Task Start_WithoutSecret_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?>()));

        Assert.Contains("Faable:Webhooks:Secret (or Faable:Webhooks:Secrets:<id> for several) is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithSeveralProblems_ReportsAllAtOnce()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?>
        {
            ["Faable:Webhooks:Secrets:current"] = "",
            ["Faable:Webhooks:Secrets:previous"] = " whsec_has_a_leading_space_0",
            ["Faable:Webhooks:Secrets:old"] = "whsec_short",
            ["Faable:Webhooks:PastTolerance"] = "00:00:00",
            ["Faable:Webhooks:MaxBodyBytes"] = "0",
            ["Faable:Webhooks:MaxAttempts"] = "0",
            ["Faable:Webhooks:LeaseDuration"] = "00:00:00.500",
        }));

        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:Secrets:current is empty", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:Secrets:previous has whitespace", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:Secrets:old is shorter than 16 characters", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:PastTolerance", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:MaxBodyBytes", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:LeaseDuration", StringComparison.Ordinal));
        Assert.All(error.Failures, f => Assert.DoesNotContain("whsec_short", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_DeduplicationWindowShorterThanTimestampWindow_Fails()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?>
        {
            ["Faable:Webhooks:Secret"] = TestSecrets.Current,
            ["Faable:Webhooks:DeduplicationWindow"] = "00:09:00",
        }));

        Assert.Contains(error.Failures, f => f.StartsWith("Faable:Webhooks:DeduplicationWindow must be at least PastTolerance + FutureTolerance", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_RedisSectionWithoutConfiguration_UsesMemory_AndUseRedisWithoutConfigurationFails()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddFaableWebhooks(o => o.Secret = TestSecrets.Current).UseRedis(o => o.Configuration = " ");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Faable:Webhooks:Redis:Configuration is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_Section_BindsSecretsAndTolerances()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Faable:Webhooks:Secret"] = TestSecrets.Current,
            ["Faable:Webhooks:Secrets:previous"] = TestSecrets.Previous,
            ["Faable:Webhooks:FutureTolerance"] = "00:00:10",
        });
        var client = app.GetTestClient();
        var future = new FaableWebhookSigner(TestSecrets.Previous, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow().AddSeconds(30)));
        var now = new FaableWebhookSigner(TestSecrets.Previous);

        using var rejected = await client.SendAsync(future.Sign("user.created", "evt_f", "{}").CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);
        using var accepted = await client.SendAsync(now.Sign("user.created", "evt_n", "{}").CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var options = app.Services.GetRequiredService<IOptions<FaableWebhookOptions>>().Value;
        Assert.Equal(TestSecrets.Current, options.Secret);
        Assert.Equal(TestSecrets.Previous, options.Secrets["previous"]);
    }

    [Fact]
    public async Task Configuration_SecretRotatedAtRuntime_AppliesWithoutRestart()
    {
        var configuration = new ConfigurationManager();
        configuration["Faable:Webhooks:Secret"] = TestSecrets.Current;
        await using var app = await StartAsync(configuration);
        var client = app.GetTestClient();

        using var before = await client.SendAsync(new FaableWebhookSigner(TestSecrets.Other).Sign("user.created", "evt_r1", "{}").CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);
        configuration["Faable:Webhooks:Secret"] = TestSecrets.Other;
        ((IConfigurationRoot)configuration).Reload();
        using var after = await client.SendAsync(new FaableWebhookSigner(TestSecrets.Other).Sign("user.created", "evt_r2", "{}").CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    [Fact]
    public async Task Configuration_ReloadedWithInvalidSecret_KeepsPreviousSecrets()
    {
        var configuration = new ConfigurationManager();
        configuration["Faable:Webhooks:Secret"] = TestSecrets.Current;
        await using var app = await StartAsync(configuration);
        var client = app.GetTestClient();

        configuration["Faable:Webhooks:Secret"] = "whsec_short";

        // The options monitor validates as the reload notifies it, and the framework surfaces that failure here.
        Assert.Throws<AggregateException>(() => ((IConfigurationRoot)configuration).Reload());
        using var response = await client.SendAsync(new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", "evt_keep", "{}").CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public void MapFaableWebhooks_WithoutServices_Throws()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapFaableWebhooks("/hooks/faable"));

        Assert.Contains("AddFaableWebhooks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFaableWebhooks_CalledTwice_RegistersOneDispatcherAndSharesHandlers()
    {
        var services = new ServiceCollection();

        services.AddFaableWebhooks(o => o.Secret = TestSecrets.Current);
        services.AddFaableWebhooks();

        Assert.Single(services, d => d.ImplementationType?.Name == "WebhookDispatcher");
        Assert.Single(services, d => d.ServiceType.Name == "WebhookHandlerRegistry");
    }

    private static Task<WebApplication> StartAsync(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values);
        return StartAsync(configuration);
    }

    private static async Task<WebApplication> StartAsync(ConfigurationManager configuration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddFaableWebhooks(configuration.GetSection("Faable:Webhooks"));
        var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
