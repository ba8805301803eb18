using Faable.Actions.Stores;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Faable.Actions.Internal;

/// <summary>Validation of <see cref="RedisActionFlowStoreOptions"/>: every error at once, each naming the key and the fix.</summary>
internal sealed class RedisActionFlowStoreOptionsValidator : IValidateOptions<RedisActionFlowStoreOptions>
{
    public const string Section = "Faable:Actions:Redis";

    public RedisActionFlowStoreOptionsValidator(bool requireConfiguration)
    {
        RequireConfiguration = requireConfiguration;
    }

    /// <summary>Whether the store connects by itself (no connection was given in code).</summary>
    public bool RequireConfiguration { get; }

    public ValidateOptionsResult Validate(string? name, RedisActionFlowStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options, RequireConfiguration);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Collect(RedisActionFlowStoreOptions options, bool requireConfiguration)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            if (requireConfiguration)
            {
                errors.Add($"{Section}:Configuration is required for the Redis flow store; set it to a StackExchange.Redis configuration such as 'localhost:6379', or pass an IConnectionMultiplexer to AddFaableActionsRedisStore.");
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
                errors.Add($"{Section}:Configuration is not a valid StackExchange.Redis configuration ({ex.Message}); use the form 'host:port[,option=value…]', e.g. 'localhost:6379,ssl=true'.");
            }
        }

        var prefix = options.KeyPrefix;
        if (string.IsNullOrEmpty(prefix))
        {
            errors.Add($"{Section}:KeyPrefix must not be empty; remove it to keep '{RedisActionFlowStoreOptions.DefaultKeyPrefix}', or set one such as 'shop:actions:'.");
        }
        else
        {
            if (prefix.Length > RedisActionFlowStoreOptions.MaxKeyPrefixLength)
            {
                errors.Add($"{Section}:KeyPrefix is {prefix.Length} characters; use at most {RedisActionFlowStoreOptions.MaxKeyPrefixLength}, e.g. 'shop:actions:'.");
            }

            if (prefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add($"{Section}:KeyPrefix contains whitespace or control characters; use letters, digits and ':' only, e.g. 'shop:actions:'.");
            }

            if (!prefix.EndsWith(':'))
            {
                errors.Add($"{Section}:KeyPrefix '{Printable(prefix)}' must end with ':' so that its keys cannot run into another prefix's; use e.g. '{Printable(prefix)}:'.");
            }
        }

        return errors;
    }

    private static string Printable(string value) =>
        new(value.Take(RedisActionFlowStoreOptions.MaxKeyPrefixLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
