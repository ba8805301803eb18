using Faable.Testing;
using Faable.Testing.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the local Faable tenant served by <c>MapFaableLocalTenant</c>.</summary>
public static class FaableLocalTenantServiceCollectionExtensions
{
    /// <summary>Registers the local tenant with default options (no clients, APIs or users).</summary>
    public static IServiceCollection AddFaableLocalTenant(this IServiceCollection services) =>
        services.AddFaableLocalTenant(_ => { });

    /// <summary>Registers the local tenant, configured in code.</summary>
    public static IServiceCollection AddFaableLocalTenant(this IServiceCollection services, Action<FaableLocalTenantOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services, FaableLocalTenantOptions.SectionName).Configure(configure);
        return services;
    }

    /// <summary>Registers the local tenant, bound from a configuration section (conventionally <c>Faable:LocalTenant</c>).</summary>
    public static IServiceCollection AddFaableLocalTenant(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        AddCore(services, section.Path).Bind(section);
        return services;
    }

    private static OptionsBuilder<FaableLocalTenantOptions> AddCore(IServiceCollection services, string sectionPath)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FaableLocalTenant>();
        services.TryAddSingleton<LoginFlow>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FaableLocalTenantOptions>>(new LocalTenantOptionsValidator(sectionPath)));
        return services.AddOptionsWithValidateOnStart<FaableLocalTenantOptions>();
    }
}
