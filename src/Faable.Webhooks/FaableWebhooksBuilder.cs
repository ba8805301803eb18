using Faable.Redis;
using Faable.Shared;
using Faable.Webhooks.Events;
using Faable.Webhooks.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Faable.Webhooks;

/// <summary>Registers handlers and chooses the inbox store; returned by <c>AddFaableWebhooks</c>.</summary>
public sealed class FaableWebhooksBuilder
{
    private readonly WebhookHandlerRegistry _registry;
    private readonly string _section;

    internal FaableWebhooksBuilder(IServiceCollection services, WebhookHandlerRegistry registry, string section)
    {
        Services = services;
        _registry = registry;
        _section = section;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers a handler class for an event type, resolved from a scope per delivery (registered as scoped if not
    /// already registered). A handler of a base type receives every event of that type: one of
    /// <see cref="FaableWebhookEvent"/> receives every known event (unknown types go to fallback handlers).
    /// </summary>
    /// <typeparam name="TEvent">The event type, for example <see cref="UserCreated"/>.</typeparam>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder AddHandler<TEvent, THandler>()
        where TEvent : FaableWebhookEvent
        where THandler : class, IFaableWebhookHandler<TEvent>
    {
        Services.TryAddScoped<THandler>();
        _registry.AddHandler(typeof(TEvent), (services, webhookEvent, cancellationToken) =>
            services.GetRequiredService<THandler>().HandleAsync((TEvent)webhookEvent, cancellationToken));
        return this;
    }

    /// <summary>Registers a delegate as a handler for an event type (a base type receives every event of that type).</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="handler">Receives the event, the delivery's scoped service provider and a cancellation token.</param>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder AddHandler<TEvent>(Func<TEvent, IServiceProvider, CancellationToken, Task> handler)
        where TEvent : FaableWebhookEvent
    {
        ArgumentNullException.ThrowIfNull(handler);
        _registry.AddHandler(typeof(TEvent), (services, webhookEvent, cancellationToken) => handler((TEvent)webhookEvent, services, cancellationToken));
        return this;
    }

    /// <summary>Registers the handler that receives, raw, every delivery no typed handler takes (for example event types this library does not know).</summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder AddFallbackHandler<THandler>()
        where THandler : class, IFaableWebhookFallbackHandler
    {
        Services.TryAddScoped<THandler>();
        _registry.AddFallback((services, delivery, cancellationToken) => services.GetRequiredService<THandler>().HandleAsync(delivery, cancellationToken));
        return this;
    }

    /// <summary>Registers a delegate that receives, raw, every delivery no typed handler takes.</summary>
    /// <param name="handler">Receives the delivery, the delivery's scoped service provider and a cancellation token.</param>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder AddFallbackHandler(Func<FaableWebhookDelivery, IServiceProvider, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _registry.AddFallback((services, delivery, cancellationToken) => handler(delivery, services, cancellationToken));
        return this;
    }

    /// <summary>
    /// Registers an observer that sees every verified delivery, raw, before and whatever the handlers (auditing,
    /// archiving). Resolved from a scope per delivery (registered as scoped if not already registered).
    /// </summary>
    /// <typeparam name="TObserver">The observer.</typeparam>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder AddDeliveryObserver<TObserver>()
        where TObserver : class, IFaableWebhookDeliveryObserver
    {
        Services.TryAddScoped<TObserver>();
        _registry.AddObserver((services, delivery, cancellationToken) => services.GetRequiredService<TObserver>().OnDeliveryAsync(delivery, cancellationToken));
        return this;
    }

    /// <summary>Registers a delegate that sees every verified delivery, raw, before and whatever the handlers.</summary>
    /// <param name="observer">Receives the delivery, the delivery's scoped service provider and a cancellation token; throwing fails the attempt.</param>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder AddDeliveryObserver(Func<FaableWebhookDelivery, IServiceProvider, CancellationToken, Task> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _registry.AddObserver((services, delivery, cancellationToken) => observer(delivery, services, cancellationToken));
        return this;
    }

    /// <summary>
    /// Declares that deliveries of an event type are not wanted: when no handler takes one, it is completed quietly
    /// (outcome <c>ignored</c>) instead of with the warning and the <c>unhandled</c> outcome that a known event with no
    /// handler gets. A base type ignores every event of that type.
    /// </summary>
    /// <typeparam name="TEvent">The event type, for example <see cref="UserDeleted"/>.</typeparam>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder Ignore<TEvent>()
        where TEvent : FaableWebhookEvent
    {
        _registry.Ignore(typeof(TEvent));
        return this;
    }

    /// <summary>
    /// Keeps de-duplication and the inbox in Redis: durable across restarts and shared by every instance that uses the
    /// same Redis and key prefix (default <c>{faable:webhooks}:</c>). The same as setting <c>Redis:Configuration</c>
    /// in the bound section.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder UseRedis(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return UseRedis(options => options.Configuration = configuration);
    }

    /// <summary>
    /// Keeps de-duplication and the inbox in Redis, configured by a delegate (a connection string, a key prefix, or an
    /// existing connection through <see cref="FaableRedisOptions.ConnectionMultiplexerFactory"/>). Validated at
    /// start-up; errors name <c>&lt;section&gt;:Redis:…</c>.
    /// </summary>
    /// <param name="configure">Sets the Redis options, after those bound from the section's <c>Redis</c> keys.</param>
    /// <returns>This builder.</returns>
    public FaableWebhooksBuilder UseRedis(Action<FaableRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        FaableRedisRegistration.Use(Services, WebhookRedis.OptionsName, _section + ":Redis", WebhookRedis.DefaultKeyPrefix, configure);
        Services.Replace(ServiceDescriptor.Singleton<IWebhookInboxStore>(sp =>
            new RedisInboxStore(FaableRedisRegistration.Get(sp, WebhookRedis.OptionsName), sp.GetRequiredService<TimeProvider>())));
        return this;
    }
}
