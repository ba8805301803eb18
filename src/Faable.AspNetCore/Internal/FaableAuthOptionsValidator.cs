using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>Start-up validation of <see cref="FaableAuthOptions"/>: every error at once, each naming the key and the fix.</summary>
internal sealed class FaableAuthOptionsValidator(IServiceProvider services) : IValidateOptions<FaableAuthOptions>
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, FaableAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var environment = services.GetService(typeof(IHostEnvironment)) as IHostEnvironment;
        var section = (services.GetService(typeof(FaableAuthSection)) as FaableAuthSection)?.Path ?? FaableAuthDefaults.ConfigurationSection;
        var errors = Collect(options, environment?.IsDevelopment() == true, section);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> Collect(FaableAuthOptions options, bool isDevelopment, string section = FaableAuthDefaults.ConfigurationSection)
    {
        var errors = new List<string>();
        if (!FaableTenant.TryParse(options.Domain, out var tenant, out var domainError, section))
        {
            errors.Add(domainError!);
        }

        if (tenant is not null && tenant.IsHttp && options.RequireHttpsMetadata && !(tenant.IsLoopback && isDevelopment))
        {
            errors.Add($"{section}:Domain '{options.Domain}' uses http://; use https://, or set {section}:RequireHttpsMetadata=false for a local tenant.");
        }

        var audiences = AudienceList(options);
        if (audiences.Count == 0)
        {
            errors.Add($"{section}:Audience is required; set it to your API identifier as configured in Faable, e.g. 'https://api.example.com'.");
        }

        for (var i = 0; i < options.Audiences.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Audiences[i]))
            {
                errors.Add($"{section}:Audiences:{i} is empty; remove it or set it to an API identifier.");
            }
        }

        if (tenant is not null)
        {
            foreach (var audience in audiences)
            {
                if (string.Equals(audience.TrimEnd('/'), tenant.Issuer, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{section}:Audience '{audience}' is the tenant URL; use your API identifier (the 'identifier' of the API in Faable), not the issuer.");
                }
                else if (string.Equals(audience, tenant.UserInfoAudience, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{section}:Audience '{audience}' is the userinfo audience of tokens requested without an API; use your API identifier.");
                }
            }
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            errors.Add($"{section}:ClockSkew must be between 00:00:00 and 00:05:00 (was {options.ClockSkew}); the default is 00:00:30.");
        }

        if (options.JwksRefreshCooldown <= TimeSpan.Zero || options.JwksRefreshCooldown > TimeSpan.FromHours(1))
        {
            errors.Add($"{section}:JwksRefreshCooldown must be greater than zero and at most 01:00:00 (was {options.JwksRefreshCooldown}); the default is 00:00:30.");
        }

        if (options.JwksFetchTimeout <= TimeSpan.Zero || options.JwksFetchTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:JwksFetchTimeout must be greater than zero and at most 00:01:00 (was {options.JwksFetchTimeout}); the default is 00:00:05.");
        }

        if (options.JwksRefreshInterval < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}:JwksRefreshInterval must be at least 00:01:00 (was {options.JwksRefreshInterval}); the default is 01:00:00.");
        }

        if (options.MaxKeyAge <= options.JwksRefreshInterval)
        {
            errors.Add($"{section}:MaxKeyAge ({options.MaxKeyAge}) must be longer than {section}:JwksRefreshInterval ({options.JwksRefreshInterval}); the default is 1.00:00:00.");
        }

        if (options.TokenCacheSize < 1 || options.TokenCacheSize > 1_000_000)
        {
            errors.Add($"{section}:TokenCacheSize must be between 1 and 1000000 (was {options.TokenCacheSize}); set {section}:TokenCacheEnabled=false to switch the cache off.");
        }

        if (options.TokenCacheMaxLifetime <= TimeSpan.Zero || options.TokenCacheMaxLifetime > TimeSpan.FromDays(1))
        {
            errors.Add($"{section}:TokenCacheMaxLifetime must be greater than zero and at most 1.00:00:00 (was {options.TokenCacheMaxLifetime}); the default is 00:10:00.");
        }

        if (options.MaxTokenLength < 1024 || options.MaxTokenLength > 1024 * 1024)
        {
            errors.Add($"{section}:MaxTokenLength must be between 1024 and 1048576 (was {options.MaxTokenLength}); the default is 16384.");
        }

        return errors;
    }

    internal static List<string> AudienceList(FaableAuthOptions options)
    {
        var list = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Audience))
        {
            list.Add(options.Audience);
        }

        foreach (var audience in options.Audiences)
        {
            if (!string.IsNullOrWhiteSpace(audience) && !list.Contains(audience, StringComparer.Ordinal))
            {
                list.Add(audience);
            }
        }

        return list;
    }
}
