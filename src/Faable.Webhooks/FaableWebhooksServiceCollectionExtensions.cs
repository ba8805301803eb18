using Faable.Shared;
using Faable.Webhooks;
using Faable.Webhooks.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Faable webhook verification, the durable inbox and the background dispatcher.</summary>
public static class FaableWebhooksServiceCollectionExtensions
{
    /// <summary>Registers Faable webhooks; configure the options elsewhere (for example <c>services.Configure&lt;FaableWebhookOptions&gt;</c>).</summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to register handlers and choose the store.</returns>
    public static FaableWebhooksBuilder AddFaableWebhooks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services, FaableWebhookDefaults.ConfigurationSection, bound: false);
    }

    /// <summary>Registers Faable webhooks with options set by a delegate.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to register handlers and choose the store.</returns>
    public static FaableWebhooksBuilder AddFaableWebhooks(this IServiceCollection services, Action<FaableWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return AddCore(services, FaableWebhookDefaults.ConfigurationSection, bound: false);
    }

    /// <summary>
    /// Registers Faable webhooks with options bound from a configuration section (conventionally <c>Faable:Webhooks</c>).
    /// A <c>Redis:Configuration</c> value in the section selects the Redis store.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section.</param>
    /// <returns>A builder to register handlers and choose the store.</returns>
    public static FaableWebhooksBuilder AddFaableWebhooks(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FaableWebhookOptions>().Bind(configuration);
        var builder = AddCore(services, configuration.Path, bound: true);
        if (FaableRedisRegistration.Bind(services, WebhookRedis.OptionsName, configuration))
        {
            builder.UseRedis(static _ => { });
        }

        return builder;
    }

    private static FaableWebhooksBuilder AddCore(IServiceCollection services, string path, bool bound)
    {
        services.AddOptions<FaableWebhookOptions>().ValidateOnStart();
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(IValidateOptions<FaableWebhookOptions>) && !d.IsKeyedService && d.ImplementationInstance is FaableWebhookOptionsValidator);
        var validator = existing?.ImplementationInstance as FaableWebhookOptionsValidator;
        if (validator is null || bound)
        {
            // Messages name the section actually bound: the last one given wins over the conventional default.
            if (existing is not null)
            {
                services.Remove(existing);
            }

            validator = new FaableWebhookOptionsValidator(path);
            services.AddSingleton<IValidateOptions<FaableWebhookOptions>>(validator);
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookMetrics>();
        services.TryAddSingleton<WebhookVerifierProvider>();
        services.TryAddSingleton<IWebhookInboxStore, InMemoryInboxStore>();
        services.TryAddSingleton<IFaableWebhookInbox, WebhookInbox>();
        services.TryAddSingleton<WebhookDispatchSignals>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDispatcher>());

        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(WebhookHandlerRegistry))?.ImplementationInstance as WebhookHandlerRegistry;
        if (registry is null)
        {
            registry = new WebhookHandlerRegistry();
            services.AddSingleton(registry);
        }

        return new FaableWebhooksBuilder(services, registry, validator.Path);
    }
}
