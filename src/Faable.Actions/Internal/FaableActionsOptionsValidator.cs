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
/// <param name="section">The section the options are bound from, named by every message (default <c>Faable:Actions</c>).</param>
internal sealed class FaableActionsOptionsValidator(IHostEnvironment? environment = null, FaableActionsSection? section = null) : IValidateOptions<FaableActionsOptions>
{
    /// <summary>The conventional section, named when the options are not bound from configuration.</summary>
    public const string DefaultSection = "Faable:Actions";
    public const int MinKeyBytes = 32;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, FaableActionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options, checkFolder: true, requireKey: environment is null || !environment.IsDevelopment(), section?.Path ?? DefaultSection);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Collect(FaableActionsOptions options, bool checkFolder, bool requireKey, string section = DefaultSection)
    {
        var errors = new List<string>();
        if (options.ResumeStateKey is null && !requireKey)
        {
            // The engine makes an ephemeral key of its own.
        }
        else if (string.IsNullOrWhiteSpace(options.ResumeStateKey))
        {
            errors.Add($"{section}:ResumeStateKey is required: set it to a random secret of at least {MinKeyBytes} bytes, e.g. the output of 'openssl rand -base64 48'.");
        }
        else if (Encoding.UTF8.GetByteCount(options.ResumeStateKey) < MinKeyBytes)
        {
            errors.Add($"{section}:ResumeStateKey is {Encoding.UTF8.GetByteCount(options.ResumeStateKey)} bytes; use at least {MinKeyBytes}, e.g. the output of 'openssl rand -base64 48'.");
        }

        Range(errors, section, "StateLifetime", options.StateLifetime, TimeSpan.FromDays(1), "00:10:00");
        Range(errors, section, "DenyCountWindow", options.DenyCountWindow, TimeSpan.FromDays(365), "30.00:00:00");

        if (options.Limits is not { } limits)
        {
            errors.Add($"{section}:Limits must not be null; remove the assignment to keep Faable's limits.");
        }
        else
        {
            Range(errors, section, "Limits:Timeout", limits.Timeout, MaxTimeout, "00:00:05");
            Range(errors, section, "Limits:ConcurrencyWait", limits.ConcurrencyWait, MaxTimeout, "00:00:05");
            Positive(errors, section, "Limits:MaxConcurrentExecutions", limits.MaxConcurrentExecutions, int.MaxValue);
            Positive(errors, section, "Limits:MaxMemoryBytes", limits.MaxMemoryBytes, long.MaxValue);
            Positive(errors, section, "Limits:MaxRecursionDepth", limits.MaxRecursionDepth, int.MaxValue);
            Positive(errors, section, "Limits:MaxArraySize", limits.MaxArraySize, uint.MaxValue);
            Positive(errors, section, "Limits:MaxConsoleBytes", limits.MaxConsoleBytes, int.MaxValue);
            Positive(errors, section, "Limits:MaxConsoleLines", limits.MaxConsoleLines, int.MaxValue);
            Positive(errors, section, "Limits:MaxRedirectUrlLength", limits.MaxRedirectUrlLength, 64 * 1024);
        }

        if (checkFolder && !string.IsNullOrWhiteSpace(options.ActionsPath) && !Directory.Exists(options.ActionsPath))
        {
            errors.Add($"{section}:ActionsPath '{options.ActionsPath}' is not a folder (resolved to '{Path.GetFullPath(options.ActionsPath)}'); create it or fix the path.");
        }

        return errors;
    }

    private static void Range(List<string> errors, string section, string key, TimeSpan value, TimeSpan max, string example)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            errors.Add($"{section}:{key} is {value}; use a finite positive duration of at most {max}, e.g. '{example}'.");
        }
    }

    // The maximum of the type is refused: in the interpreter such sentinels switch a protection off.
    private static void Positive<T>(List<string> errors, string section, string key, T value, T max)
        where T : struct, IComparable<T>
    {
        if (value.CompareTo(default) <= 0 || value.CompareTo(max) >= 0)
        {
            errors.Add($"{section}:{key} is {value}; use a positive value below {max}, or remove it to keep Faable's default.");
        }
    }
}
