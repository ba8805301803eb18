using Faable.Actions.Internal;
using Faable.Actions.Stores;
using Faable.Redis;
using Faable.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faable.Actions;

/// <summary>Adds actions and chooses where paused logins, blocks and counters live; returned by <c>AddFaableActions</c>.</summary>
public sealed class FaableActionsBuilder
{
    private readonly string _section;

    internal FaableActionsBuilder(IServiceCollection services, string section)
    {
        Services = services;
        _section = section;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds an action defined in code, next to those of <see cref="FaableActionsOptions.ActionsPath"/>.</summary>
    /// <param name="action">The action.</param>
    /// <returns>This builder.</returns>
    public FaableActionsBuilder AddAction(FaableAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Services.AddSingleton(action);
        return this;
    }

    /// <summary>
    /// Keeps paused flows, blocks and counters in Redis with <see cref="RedisActionFlowStore"/>: single-use resume
    /// states and exact <c>deny_count</c> counters across every instance that uses the same Redis and key prefix
    /// (default <c>{faable:actions}:</c>). The same as setting <c>Redis:Configuration</c> in the bound section. The
    /// connection is made on first use and reconnects in the background; while Redis is unreachable logins fail closed
    /// (<see cref="ActionFlowStoreException"/>).
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <returns>This builder.</returns>
    public FaableActionsBuilder UseRedis(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return UseRedis(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Keeps paused flows, blocks and counters in Redis (see <see cref="UseRedis(string)"/>), configured by a delegate
    /// (a connection string, a key prefix, or an existing connection through
    /// <see cref="FaableRedisOptions.ConnectionMultiplexerFactory"/>). Validated at start-up; errors name
    /// <c>&lt;section&gt;:Redis:…</c>.
    /// </summary>
    /// <param name="configure">Sets the Redis options, after those bound from the section's <c>Redis</c> keys.</param>
    /// <returns>This builder.</returns>
    public FaableActionsBuilder UseRedis(Action<FaableRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var section = _section + ":Redis";
        FaableRedisRegistration.Use(Services, ActionRedis.OptionsName, section, ActionRedis.DefaultKeyPrefix, configure);
        Services.TryAddSingleton(sp => new LazyRedisConnection(FaableRedisRegistration.Get(sp, ActionRedis.OptionsName)));
        Services.Replace(ServiceDescriptor.Singleton<IActionFlowStore>(sp =>
            new RedisActionFlowStore(sp.GetRequiredService<LazyRedisConnection>().GetAsync, FaableRedisRegistration.Get(sp, ActionRedis.OptionsName), section, requireConnection: true)));
        return this;
    }
}
