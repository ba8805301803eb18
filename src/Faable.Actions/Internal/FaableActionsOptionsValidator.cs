using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Faable.Actions.Internal;

/// <summary>
/// Validation of <see cref="FaableActionsOptions"/>: every error at once, each naming the key and the fix. Registered
/// in a container, it requires <see cref="FaableActionsOptions.ResumeStateKey"/> unless the host environment is
/// Development: instances behind one store must share the key, and a key lost at every restart breaks paused logins.
/// </summary>
/// <param name="environment">The host environment, when there is one (none: the key is required).</param>
internal sealed class FaableActionsOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<FaableActionsOptions>
{
    public const string Section = "Faable:Actions";
    public const int MinKeyBytes = 32;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, FaableActionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options, checkFolder: true, requireKey: environment is null || !environment.IsDevelopment());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Collect(FaableActionsOptions options, bool checkFolder, bool requireKey)
    {
        var errors = new List<string>();
        if (options.ResumeStateKey is null && !requireKey)
        {
            // The engine makes an ephemeral key of its own.
        }
        else if (string.IsNullOrWhiteSpace(options.ResumeStateKey))
        {
            errors.Add($"{Section}:ResumeStateKey is required: set it to a random secret of at least {MinKeyBytes} bytes, e.g. the output of 'openssl rand -base64 48'.");
        }
        else if (Encoding.UTF8.GetByteCount(options.ResumeStateKey) < MinKeyBytes)
        {
            errors.Add($"{Section}:ResumeStateKey is {Encoding.UTF8.GetByteCount(options.ResumeStateKey)} bytes; use at least {MinKeyBytes}, e.g. the output of 'openssl rand -base64 48'.");
        }

        Range(errors, "StateLifetime", options.StateLifetime, TimeSpan.FromDays(1), "00:10:00");
        Range(errors, "DenyCountWindow", options.DenyCountWindow, TimeSpan.FromDays(365), "30.00:00:00");

        if (options.Limits is not { } limits)
        {
            errors.Add($"{Section}:Limits must not be null; remove the assignment to keep Faable's limits.");
        }
        else
        {
            Range(errors, "Limits:Timeout", limits.Timeout, MaxTimeout, "00:00:05");
            Range(errors, "Limits:ConcurrencyWait", limits.ConcurrencyWait, MaxTimeout, "00:00:05");
            Positive(errors, "Limits:MaxConcurrentExecutions", limits.MaxConcurrentExecutions, int.MaxValue);
            Positive(errors, "Limits:MaxMemoryBytes", limits.MaxMemoryBytes, long.MaxValue);
            Positive(errors, "Limits:MaxRecursionDepth", limits.MaxRecursionDepth, int.MaxValue);
            Positive(errors, "Limits:MaxArraySize", limits.MaxArraySize, uint.MaxValue);
            Positive(errors, "Limits:MaxConsoleBytes", limits.MaxConsoleBytes, int.MaxValue);
            Positive(errors, "Limits:MaxConsoleLines", limits.MaxConsoleLines, int.MaxValue);
            Positive(errors, "Limits:MaxRedirectUrlLength", limits.MaxRedirectUrlLength, 64 * 1024);
        }

        if (checkFolder && !string.IsNullOrWhiteSpace(options.ActionsPath) && !Directory.Exists(options.ActionsPath))
        {
            errors.Add($"{Section}:ActionsPath '{options.ActionsPath}' is not a folder (resolved to '{Path.GetFullPath(options.ActionsPath)}'); create it or fix the path.");
        }

        return errors;
    }

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan max, string example)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            errors.Add($"{Section}:{key} is {value}; use a finite positive duration of at most {max}, e.g. '{example}'.");
        }
    }

    // The maximum of the type is refused: in the interpreter such sentinels switch a protection off.
    private static void Positive<T>(List<string> errors, string key, T value, T max)
        where T : struct, IComparable<T>
    {
        if (value.CompareTo(default) <= 0 || value.CompareTo(max) >= 0)
        {
            errors.Add($"{Section}:{key} is {value}; use a positive value below {max}, or remove it to keep Faable's default.");
        }
    }
}
