using Faable.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Faable.Shared;

/// <summary>
/// The one set of rules for <see cref="FaableRedisOptions"/>, whichever package uses them: every error at once, each
/// naming the key under the section actually bound and the fix. Validates only the named options of its package.
/// Compiled into each package that talks to Redis.
/// </summary>
internal sealed class FaableRedisOptionsValidator(string name, string section, string defaultKeyPrefix) : IValidateOptions<FaableRedisOptions>
{
    /// <summary>Gets the name of the options this validator checks (one per package).</summary>
    public string Name { get; } = name;

    public ValidateOptionsResult Validate(string? name, FaableRedisOptions options)
    {
        if (!string.Equals(name, Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options, section, defaultKeyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // A null key prefix stands for the package's default; the section is that of the Redis settings, e.g.
    // Faable:Webhooks:Redis; a connection given in code (the store's public constructor) needs no configuration.
    public static List<string> Collect(FaableRedisOptions options, string section, string defaultKeyPrefix, bool requireConnection = true)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            if (requireConnection && options.ConnectionMultiplexerFactory is null)
            {
                errors.Add($"{section}:Configuration is required when the Redis store is used; set it to a StackExchange.Redis configuration such as 'localhost:6379', or give an existing connection with ConnectionMultiplexerFactory.");
            }
        }
        else
        {
            try
            {
                ConfigurationOptions.Parse(options.Configuration);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{section}:Configuration is not a valid StackExchange.Redis configuration ({ex.Message}); use the form 'host:port[,option=value…]', e.g. 'localhost:6379,ssl=true'.");
            }
        }

        var prefix = options.KeyPrefix ?? defaultKeyPrefix;
        if (prefix.Length == 0)
        {
            errors.Add($"{section}:KeyPrefix must not be empty; remove it to keep '{defaultKeyPrefix}', or set one such as '{{shop}}:'.");
            return errors;
        }

        var printable = Printable(prefix);
        if (prefix.Length > FaableRedisOptions.MaxKeyPrefixLength)
        {
            errors.Add($"{section}:KeyPrefix is {prefix.Length} characters; use at most {FaableRedisOptions.MaxKeyPrefixLength}, e.g. '{defaultKeyPrefix}'.");
        }

        if (prefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"{section}:KeyPrefix contains whitespace or control characters; use letters, digits, ':' and one pair of braces, e.g. '{{shop}}:'.");
        }

        if (!HasHashTag(prefix))
        {
            errors.Add($"{section}:KeyPrefix '{printable}' has no Redis hash tag; put a non-empty part of it in braces, e.g. '{{{printable.TrimEnd(':')}}}:', so that every key lands in one hash slot and the store also works on Redis Cluster.");
        }

        if (!prefix.EndsWith(':'))
        {
            errors.Add($"{section}:KeyPrefix '{printable}' must end with ':' so that its keys cannot run into another prefix's; use e.g. '{printable}:'.");
        }

        return errors;
    }

    // Redis Cluster hashes the part between the first '{' and the first '}' after it, when that part is not empty.
    // Requiring both braces in the prefix keeps the slot independent of whatever the store appends.
    private static bool HasHashTag(string prefix)
    {
        var open = prefix.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }

        var close = prefix.IndexOf('}', open + 1);
        return close > open + 1;
    }

    private static string Printable(string value) =>
        new(value.Take(FaableRedisOptions.MaxKeyPrefixLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
