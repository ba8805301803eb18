using Faable.Actions;
using Faable.Actions.Internal;
using Faable.Actions.Loading;
using Faable.Actions.Stores;
using Faable.Shared;
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
    /// Registers <see cref="FaableActionsEngine"/> as a singleton with options validated at start-up; configure
    /// <see cref="FaableActionsOptions"/> elsewhere (for example with <c>Configure</c>). Its actions are those of
    /// <see cref="FaableActionsOptions.ActionsPath"/> plus every <see cref="FaableAction"/> registered in the container
    /// (<see cref="FaableActionsBuilder.AddAction"/>). Uses the container's <see cref="TimeProvider"/> (system clock by
    /// default) and <see cref="IActionFlowStore"/> (in memory by default; see <see cref="FaableActionsBuilder.UseRedis(string)"/>).
    /// Under a host, the engine is built at start-up (a bad folder or a script that does not compile stops the start).
    /// Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add actions and choose the flow store.</returns>
    public static FaableActionsBuilder AddFaableActions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services, FaableActionsOptionsValidator.DefaultSection, bound: false);
    }

    /// <summary>Registers the engine (see <see cref="AddFaableActions(IServiceCollection)"/>) and configures its options in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. the resume-state key and the fetch handler.</param>
    /// <returns>A builder to add actions and choose the flow store.</returns>
    public static FaableActionsBuilder AddFaableActions(this IServiceCollection services, Action<FaableActionsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return AddCore(services, FaableActionsOptionsValidator.DefaultSection, bound: false);
    }

    /// <summary>
    /// Registers the engine (see <see cref="AddFaableActions(IServiceCollection)"/>) with options bound from a
    /// configuration section, conventionally <c>Faable:Actions</c>; validation messages name this section.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">
    /// The section; keys are the option names (<c>ResumeStateKey</c>, <c>StateLifetime</c>, <c>ActionsPath</c>,
    /// <c>Limits:Timeout</c>, …). A <c>Redis:Configuration</c> value selects the Redis store (as
    /// <see cref="FaableActionsBuilder.UseRedis(string)"/> does), with <c>Redis:KeyPrefix</c> bound too.
    /// </param>
    /// <returns>A builder to add actions and choose the flow store.</returns>
    public static FaableActionsBuilder AddFaableActions(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<FaableActionsOptions>().Bind(section);
        var builder = AddCore(services, section.Path, bound: true);
        if (FaableRedisRegistration.Bind(services, ActionRedis.OptionsName, section))
        {
            builder.UseRedis(static _ => { });
        }

        return builder;
    }

    private static FaableActionsBuilder AddCore(IServiceCollection services, string path, bool bound)
    {
        services.AddOptions<FaableActionsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FaableActionsOptions>, FaableActionsOptionsValidator>());
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(FaableActionsSection) && !d.IsKeyedService);
        if (existing?.ImplementationInstance is FaableActionsSection registered && !bound)
        {
            path = registered.Path;
        }
        else
        {
            // Messages name the section actually bound: the last one given wins over the conventional default.
            if (existing is not null)
            {
                services.Remove(existing);
            }

            services.AddSingleton(new FaableActionsSection(path));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActionFlowStore>(sp => new InMemoryActionFlowStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(CreateEngine);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FaableActionsEngineWarmup>());
        return new FaableActionsBuilder(services, path);
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
