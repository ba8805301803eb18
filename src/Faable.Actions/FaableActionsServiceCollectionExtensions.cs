using Faable.Actions;
using Faable.Actions.Internal;
using Faable.Actions.Loading;
using Faable.Actions.Stores;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Faable Actions engine.</summary>
public static class FaableActionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FaableActionsEngine"/> as a singleton with options validated at start-up. Its actions are
    /// those of <see cref="FaableActionsOptions.ActionsPath"/> plus every <see cref="FaableAction"/> registered in the
    /// container. Uses the container's <see cref="TimeProvider"/> (system clock by default) and
    /// <see cref="IActionFlowStore"/> (in memory by default; see <see cref="AddFaableActionsDistributedStore"/>).
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
    /// <param name="section">The section; keys are the option names (<c>ResumeStateKey</c>, <c>StateLifetime</c>, <c>ActionsPath</c>, <c>Limits:Timeout</c>, …).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActions(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddFaableActions();
        services.AddOptions<FaableActionsOptions>().Bind(section);
        return services;
    }

    /// <summary>
    /// Keeps paused flows, blocks and counters in the registered <see cref="IDistributedCache"/> (register one, e.g.
    /// with <c>AddStackExchangeRedisCache</c>), so several instances share them. See
    /// <see cref="DistributedCacheActionFlowStore"/> for its atomicity limits.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddFaableActionsDistributedStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Replace(ServiceDescriptor.Singleton<IActionFlowStore>(sp => new DistributedCacheActionFlowStore(sp.GetRequiredService<IDistributedCache>())));
        return services;
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
