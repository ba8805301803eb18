using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Internal;

/// <summary>Start-up validation of <see cref="FaableWebhookOptions"/>: every problem at once, each naming its key and the fix.</summary>
internal sealed class FaableWebhookOptionsValidator : IValidateOptions<FaableWebhookOptions>
{
    private static readonly TimeSpan MaxTolerance = TimeSpan.FromHours(1);
    private const int MaxBodyLimit = 16 * 1024 * 1024;

    public FaableWebhookOptionsValidator(string path)
    {
        Path = path;
    }

    /// <summary>Gets the section the options are bound from, named by every message.</summary>
    public string Path { get; }

    public ValidateOptionsResult Validate(string? name, FaableWebhookOptions options)
    {
        var errors = Collect(options, Path);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static List<string> Collect(FaableWebhookOptions options, string path)
    {
        var errors = new List<string>();
        if (options.Secret is null && options.Secrets.Count == 0)
        {
            errors.Add($"{path}:Secret (or {path}:Secrets:<id> for several) is required; copy the subscription's secret (whsec_…) from Faable.");
        }

        if (options.Secret is not null && FaableWebhookSecret.Validate(options.Secret) is { } secretProblem)
        {
            errors.Add($"{path}:Secret {secretProblem}.");
        }

        foreach (var (id, value) in options.Secrets)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                errors.Add($"{path}:Secrets has an entry with an empty id; give each secret a name, e.g. {path}:Secrets:current.");
            }
            else if (id == "default" && options.Secret is not null)
            {
                errors.Add($"{path}:Secrets:default clashes with {path}:Secret, which is reported as 'default'; rename one.");
            }

            if (FaableWebhookSecret.Validate(value) is { } problem)
            {
                errors.Add($"{path}:Secrets:{id} {problem}.");
            }
        }

        if (options.PastTolerance <= TimeSpan.Zero || options.PastTolerance > MaxTolerance)
        {
            errors.Add($"{path}:PastTolerance must be more than 0 and at most 01:00:00; the default is 00:05:00.");
        }

        if (options.FutureTolerance < TimeSpan.Zero || options.FutureTolerance > MaxTolerance)
        {
            errors.Add($"{path}:FutureTolerance must be between 00:00:00 and 01:00:00; the default is 00:05:00.");
        }

        if (options.MaxBodyBytes <= 0 || options.MaxBodyBytes > MaxBodyLimit)
        {
            errors.Add($"{path}:MaxBodyBytes must be between 1 and {MaxBodyLimit}; the default is {FaableWebhookDefaults.MaxBodyBytes}.");
        }

        if (options.DeduplicationWindow < options.PastTolerance + options.FutureTolerance)
        {
            errors.Add($"{path}:DeduplicationWindow must be at least PastTolerance + FutureTolerance ({options.PastTolerance + options.FutureTolerance}), or a replay inside the timestamp window would be dispatched again.");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{path}:MaxAttempts must be between 1 and 100; the default is 5.");
        }

        if (options.InitialRetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"{path}:InitialRetryDelay must be more than 0; the default is 00:00:02.");
        }

        if (options.MaxRetryDelay < options.InitialRetryDelay || options.MaxRetryDelay > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:MaxRetryDelay must be at least InitialRetryDelay and at most 1.00:00:00; the default is 00:05:00.");
        }

        if (options.HandlerTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:HandlerTimeout must be more than 0; the default is 00:01:00.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            errors.Add($"{path}:LeaseDuration must be between 00:00:01 and 01:00:00 (it is renewed every third of it while handlers run, and a crashed instance's deliveries wait that long); the default is 00:00:10.");
        }

        if (options.MaxConcurrentDispatches is < 1 or > 64)
        {
            errors.Add($"{path}:MaxConcurrentDispatches must be between 1 and 64; the default is 1.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{path}:PollInterval must be more than 0 and at most 00:01:00; the default is 00:00:01.");
        }

        return errors;
    }
}
