using Faable.AspNetCore;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Faable resource server: JwtBearer with Faable's rules, key management and scope authorization.</summary>
public static class FaableAuthServiceCollectionExtensions
{
    /// <summary>Adds the resource server; configure <see cref="FaableAuthOptions"/> elsewhere (for example with <c>Configure</c>).</summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder for further configuration.</returns>
    public static FaableAuthBuilder AddFaableAuth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services, FaableAuthDefaults.ConfigurationSection, bound: false);
    }

    /// <summary>Adds the resource server configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets <see cref="FaableAuthOptions"/>.</param>
    /// <returns>A builder for further configuration.</returns>
    public static FaableAuthBuilder AddFaableAuth(this IServiceCollection services, Action<FaableAuthOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return AddCore(services, FaableAuthDefaults.ConfigurationSection, bound: false);
    }

    /// <summary>Adds the resource server bound from a configuration section, usually <c>Faable</c>; validation messages name this section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section whose keys are the <see cref="FaableAuthOptions"/> property names.</param>
    /// <returns>A builder for further configuration.</returns>
    public static FaableAuthBuilder AddFaableAuth(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<FaableAuthOptions>(configuration);
        return AddCore(services, configuration.Path, bound: true);
    }

    private static FaableAuthBuilder AddCore(IServiceCollection services, string section, bool bound)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(FaableAuthSection) && !d.IsKeyedService);
        if (existing?.ImplementationInstance is FaableAuthSection registered && !bound)
        {
            section = registered.Path;
        }
        else
        {
            // Messages name the section actually bound: the last one given wins over the conventional default.
            if (existing is not null)
            {
                services.Remove(existing);
            }

            services.AddSingleton(new FaableAuthSection(section));
        }

        var builder = new FaableAuthBuilder(services, section);
        if (services.Any(d => d.ServiceType == typeof(FaableTokenValidator)))
        {
            return builder;
        }

        services.AddOptions<FaableAuthOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FaableAuthOptions>, FaableAuthOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHttpClient(FaableAuthDefaults.BackchannelHttpClientName);

        services.TryAddSingleton<FaableAuthMetrics>();
        services.TryAddSingleton<JwksKeyStore>();
        services.TryAddSingleton<ValidatedTokenCache>();
        services.TryAddSingleton<FaableTokenValidator>();
        services.TryAddSingleton<FaableTokenHandler>();
        services.TryAddSingleton(sp => new FaableBearerEvents(
            sp.GetRequiredService<IOptions<FaableAuthOptions>>(),
            sp.GetRequiredService<FaableTokenValidator>(),
            sp.GetService<IHostEnvironment>(),
            sp.GetRequiredService<FaableForbiddenAnswer>()));
        services.AddHostedService<JwksPrefetchService>();

        // Ahead of JwtBearer's own post-configure step when AddFaableAuth comes first (see the class).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtBearerOptions>, FaableJwtBearerOptionsValidator>());
        services.AddAuthentication(o => o.DefaultScheme ??= FaableAuthDefaults.AuthenticationScheme)
            .AddJwtBearer(FaableAuthDefaults.AuthenticationScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme)
            .Configure<FaableTokenHandler, FaableBearerEvents>((options, handler, events) =>
            {
                FaableJwtBearerOptionsValidator.ApplyFaableSettings(options);
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(handler);
                options.Events ??= new JwtBearerEvents();
                events.Attach(options.Events);
            })
            .ValidateOnStart();

        // JwtBearer settings Faable's validation would not run are refused at start-up, each naming the Faable setting to use;
        // the validator also sees what PostConfigure calls made after the post-configure step above set.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtBearerOptions>, FaableJwtBearerOptionsValidator>());

        services.AddAuthorization();
        FaablePolicyEvaluator.Register(services);
        services.TryAddSingleton<FaableAuthorizationHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, FaableAuthorizationHandler>(sp => sp.GetRequiredService<FaableAuthorizationHandler>()));
        // No IAuthorizationMiddlewareResultHandler of our own: the 403 is written by the scheme's forbid, so an
        // application's handler, registered before or after this call, is never replaced.
        services.TryAddSingleton<FaableForbiddenAnswer>();
        Faable.AspNetCore.Diagnostics.Internal.FaableDiagnosticsServices.Add(services);
        return builder;
    }
}
