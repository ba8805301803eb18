using Faable.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Faable.Shared;

/// <summary>
/// How a package's builder chooses Redis, written once: named <see cref="FaableRedisOptions"/> (one name per package,
/// so Webhooks and Actions may use different servers or prefixes in one application), the package's default key
/// prefix, and one validator that names the section actually bound. Compiled into each package that talks to Redis.
/// </summary>
internal static class FaableRedisRegistration
{
    /// <summary>Binds the <c>Redis</c> subsection of a package's section; returns whether it selects Redis (a <c>Configuration</c> value).</summary>
    public static bool Bind(IServiceCollection services, string name, IConfigurationSection packageSection)
    {
        var redis = packageSection.GetSection("Redis");
        services.AddOptions<FaableRedisOptions>(name).Bind(redis);
        return !string.IsNullOrWhiteSpace(redis["Configuration"]);
    }

    /// <summary>
    /// Selects Redis for the package: configures its named options and validates them at start-up. The section is the
    /// Redis settings' path (e.g. <c>Faable:Webhooks:Redis</c>), named by validation messages.
    /// </summary>
    public static void Use(IServiceCollection services, string name, string section, string defaultKeyPrefix, Action<FaableRedisOptions>? configure)
    {
        var options = services.AddOptions<FaableRedisOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure(o => o.KeyPrefix ??= defaultKeyPrefix).ValidateOnStart();

        // One validator per package; the last section named wins.
        foreach (var previous in services.Where(d => d.ServiceType == typeof(IValidateOptions<FaableRedisOptions>)
            && !d.IsKeyedService && d.ImplementationInstance is FaableRedisOptionsValidator v && v.Name == name).ToList())
        {
            services.Remove(previous);
        }

        services.AddSingleton<IValidateOptions<FaableRedisOptions>>(new FaableRedisOptionsValidator(name, section, defaultKeyPrefix));
    }

    /// <summary>Gets the package's options, validated.</summary>
    public static FaableRedisOptions Get(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<FaableRedisOptions>>().Get(name);
}
