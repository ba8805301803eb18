using Faable.Actions;
using Faable.Actions.Internal;
using Faable.Actions.Loading;
using Faable.Actions.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Faable Actions engine.</summary>
public static class FaableActionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FaableActionsEngine"/> as a singleton with options validated at start-up. Its actions are
    /// those of <see cref="FaableActionsOptions.ActionsPath"/> plus every <see cref="FaableAction"/> registered in the
    /// container. Uses the container's <see cref="TimeProvider"/> (system clock by default) and
    /// <see cref="IActionFlowStore"/> (in memory by default; see <see cref="AddFaableActionsRedisStore(IServiceCollection, string)"/>).
    /// Under a host, the engine is built at start-up (a bad folder or a script that does not compile stops the start).
    /// Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FaableActionsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FaableActionsOptions>, FaableActionsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActionFlowStore>(sp => new InMemoryActionFlowStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(CreateEngine);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FaableActionsEngineWarmup>());
        return services;
    }

    /// <summary>Registers the engine (see <see cref="AddFaableActions(IServiceCollection)"/>) and configures its options in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. the resume-state key and the fetch handler.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActions(this IServiceCollection services, Action<FaableActionsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddFaableActions();
        services.Configure(configure);
        return services;
    }

    /// <summary>Registers the engine (see <see cref="AddFaableActions(IServiceCollection)"/>) with options bound from a configuration section, usually <c>Faable:Actions</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">
    /// The section; keys are the option names (<c>ResumeStateKey</c>, <c>StateLifetime</c>, <c>ActionsPath</c>,
    /// <c>Limits:Timeout</c>, …). A <c>Redis:Configuration</c> value selects the Redis store
    /// (<see cref="AddFaableActionsRedisStore(IServiceCollection, Action{RedisActionFlowStoreOptions})"/>) with
    /// <c>Redis:KeyPrefix</c> bound too.
    /// </param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActions(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddFaableActions();
        services.AddOptions<FaableActionsOptions>().Bind(section);
        var redis = section.GetSection("Redis");
        if (!string.IsNullOrWhiteSpace(redis["Configuration"]))
        {
            services.AddFaableActionsRedisStore(options => redis.Bind(options));
        }

        return services;
    }

    /// <summary>
    /// Keeps paused flows, blocks and counters in Redis with <see cref="RedisActionFlowStore"/>: single-use resume
    /// states and exact <c>deny_count</c> counters across every instance that uses the same Redis and key prefix.
    /// The store opens its own connection on first use and reconnects in the background; while Redis is unreachable
    /// logins fail closed (<see cref="ActionFlowStoreException"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActionsRedisStore(this IServiceCollection services, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return services.AddFaableActionsRedisStore(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Keeps paused flows, blocks and counters in Redis (see <see cref="AddFaableActionsRedisStore(IServiceCollection, string)"/>),
    /// configured by a delegate. The options are validated at start-up: <c>Configuration</c> is required and
    /// <c>KeyPrefix</c> must be a valid prefix.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the Redis options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActionsRedisStore(this IServiceCollection services, Action<RedisActionFlowStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddRedisOptions(services, configure, requireConfiguration: true);
        services.TryAddSingleton(sp => new Faable.Shared.LazyRedisConnection(sp.GetRequiredService<IOptions<RedisActionFlowStoreOptions>>().Value.Configuration!));
        services.Replace(ServiceDescriptor.Singleton<IActionFlowStore>(sp =>
        {
            var connection = sp.GetRequiredService<Faable.Shared.LazyRedisConnection>();
            return new RedisActionFlowStore(connection.GetAsync, sp.GetRequiredService<IOptions<RedisActionFlowStoreOptions>>().Value, requireConfiguration: true);
        }));
        return services;
    }

    /// <summary>
    /// Keeps paused flows, blocks and counters in Redis (see <see cref="AddFaableActionsRedisStore(IServiceCollection, string)"/>)
    /// over a connection the application already has; the container does not dispose it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connection">The connection to use.</param>
    /// <param name="configure">Sets the key prefix; <c>Configuration</c> is not used. Optional.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActionsRedisStore(this IServiceCollection services, IConnectionMultiplexer connection, Action<RedisActionFlowStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);
        AddRedisOptions(services, configure ?? (static _ => { }), requireConfiguration: false);
        services.Replace(ServiceDescriptor.Singleton<IActionFlowStore>(sp =>
            new RedisActionFlowStore(connection, sp.GetRequiredService<IOptions<RedisActionFlowStoreOptions>>().Value)));
        return services;
    }

    private static void AddRedisOptions(IServiceCollection services, Action<RedisActionFlowStoreOptions> configure, bool requireConfiguration)
    {
        services.AddOptions<RedisActionFlowStoreOptions>().Configure(configure).ValidateOnStart();
        // The last registration decides whether a configuration string is required.
        var previous = services.Where(d => d.ServiceType == typeof(IValidateOptions<RedisActionFlowStoreOptions>) && d.ImplementationInstance is RedisActionFlowStoreOptionsValidator).ToList();
        foreach (var descriptor in previous)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton<IValidateOptions<RedisActionFlowStoreOptions>>(new RedisActionFlowStoreOptionsValidator(requireConfiguration));
    }

    private static FaableActionsEngine CreateEngine(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<FaableActionsOptions>>().Value;
        var actions = new List<FaableAction>();
        if (!string.IsNullOrWhiteSpace(options.ActionsPath))
        {
            actions.AddRange(ActionFolder.Load(options.ActionsPath));
        }

        actions.AddRange(services.GetServices<FaableAction>());
        return new FaableActionsEngine(
            actions,
            options,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IActionFlowStore>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<System.Diagnostics.Metrics.IMeterFactory>());
    }
}
