using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Internal;

/// <summary>Start-up validation of <see cref="FaableWebhookRedisOptions"/>.</summary>
internal sealed class FaableWebhookRedisOptionsValidator : IValidateOptions<FaableWebhookRedisOptions>
{
    public ValidateOptionsResult Validate(string? name, FaableWebhookRedisOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            errors.Add("Faable:Webhooks:Redis:Configuration is required when the Redis store is used; set it to a StackExchange.Redis configuration such as 'localhost:6379'.");
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            errors.Add("Faable:Webhooks:Redis:KeyPrefix must not be empty; the default is '{faable:webhooks}:'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
