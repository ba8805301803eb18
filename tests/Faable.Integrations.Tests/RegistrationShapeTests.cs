using System.Reflection;
using Faable.Actions;
using Faable.AspNetCore;
using Faable.Redis;
using Faable.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Faable.Integrations.Tests;

/// <summary>One registration pattern for the three packages.</summary>
public sealed class RegistrationShapeTests
{
    public static TheoryData<Type, string, Type, Type> Packages => new()
    {
        { typeof(FaableAuthServiceCollectionExtensions), "AddFaableAuth", typeof(FaableAuthOptions), typeof(FaableAuthBuilder) },
        { typeof(FaableWebhooksServiceCollectionExtensions), "AddFaableWebhooks", typeof(FaableWebhookOptions), typeof(FaableWebhooksBuilder) },
        { typeof(FaableActionsServiceCollectionExtensions), "AddFaableActions", typeof(FaableActionsOptions), typeof(FaableActionsBuilder) },
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void AddFaable_HasTheThreeOverloads_EachReturningThePackagesBuilder(Type extensions, string name, Type options, Type builder)
    {
        var methods = extensions.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == name).ToList();
        var shapes = methods.Select(m => string.Join(",", m.GetParameters().Skip(1).Select(p => p.ParameterType.Name))).Order(StringComparer.Ordinal);

        Assert.Equal(["", "Action`1", "IConfigurationSection"], shapes);
        Assert.All(methods, m => Assert.Equal(builder, m.ReturnType));
        Assert.Equal(options, methods.Single(m => m.GetParameters().Length == 2 && m.GetParameters()[1].ParameterType.IsGenericType).GetParameters()[1].ParameterType.GetGenericArguments()[0]);
        Assert.Equal("Microsoft.Extensions.DependencyInjection", extensions.Namespace);
        Assert.True(builder.IsSealed);
        Assert.Equal(options.Assembly, builder.Assembly);
        Assert.Equal(typeof(IServiceCollection), builder.GetProperty("Services")!.PropertyType);
    }

    [Fact]
    public void UseRedis_IsTheSameOnEveryBuilderThatKeepsState()
    {
        static IEnumerable<string> Shapes(Type builder) => builder.GetMethods()
            .Where(m => m.Name == "UseRedis")
            .Select(m => string.Join(",", m.GetParameters().Select(p => p.ParameterType.ToString())) + "->" + (m.ReturnType == builder))
            .Order(StringComparer.Ordinal);

        var expected = new[] { "System.Action`1[Faable.Redis.FaableRedisOptions]->True", "System.String->True" };
        Assert.Equal(expected, Shapes(typeof(FaableWebhooksBuilder)));
        Assert.Equal(expected, Shapes(typeof(FaableActionsBuilder)));
    }

    [Fact]
    public void CorePackages_DoNotReferenceEachOther()
    {
        string[] core = ["Faable.AspNetCore", "Faable.Webhooks", "Faable.Actions"];
        foreach (var assembly in new[] { typeof(FaableAuthOptions).Assembly, typeof(FaableWebhookOptions).Assembly, typeof(FaableActionsOptions).Assembly })
        {
            var references = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.DoesNotContain(references, r => core.Contains(r) && r != assembly.GetName().Name);
        }

        Assert.Contains("Faable.Redis", typeof(FaableWebhookOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains("Faable.Redis", typeof(FaableActionsOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name));
    }

    [Fact]
    public void WebhooksAndActions_InOneApp_KeepTheirOwnRedisSettings_UnderOneSetOfRules()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Faable:Webhooks:Secret"] = "whsec_registration_shape_tests_0",
            ["Faable:Webhooks:Redis:Configuration"] = "redis-hooks:6379",
            ["Faable:Webhooks:Redis:KeyPrefix"] = "hooks:",
            ["Faable:Actions:ResumeStateKey"] = "a-resume-state-key-of-at-least-32-bytes",
            ["Faable:Actions:Redis:Configuration"] = "redis-logins:6379",
            ["Faable:Actions:Redis:KeyPrefix"] = "hooks:",
        }).Build();
        var services = new ServiceCollection();
        services.AddFaableWebhooks(configuration.GetSection("Faable:Webhooks"));
        services.AddFaableActions(configuration.GetSection("Faable:Actions")).UseRedis(o => o.KeyPrefix = "{logins}:");
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>();

        var webhooks = Assert.Throws<OptionsValidationException>(() => monitor.Get("Faable.Webhooks"));
        var actions = monitor.Get("Faable.Actions");

        Assert.Equal(("redis-logins:6379", "{logins}:"), (actions.Configuration, actions.KeyPrefix));
        Assert.Equal(
            ["Faable:Webhooks:Redis:KeyPrefix 'hooks:' has no Redis hash tag; put a non-empty part of it in braces, e.g. '{hooks}:', so that every key lands in one hash slot and the store also works on Redis Cluster."],
            webhooks.Failures);
    }

    [Fact]
    public void RedisPackage_PublicSurfaceFollowsTheConventions()
    {
        var redis = typeof(FaableRedisOptions).Assembly;

        Assert.Equal([typeof(FaableRedisOptions)], redis.GetExportedTypes());
        Assert.Empty(Faable.Tests.Shared.PublicSurfaceConventions.UnsealedPublicClasses(redis));
        Assert.DoesNotContain(redis.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
