using System.Diagnostics;
using System.Reflection;

namespace Faable.Cli.Tests.Infrastructure;

/// <summary>The built <c>faable</c> tool, run as a process the way a user runs it.</summary>
internal static class FaableTool
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The configuration this test assembly was built with; the tool is built with the same one.</summary>
    public static string Configuration { get; } =
        typeof(FaableTool).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Dll => Path.Combine(Faable.Tests.Shared.RepositoryPaths.Root, "tools", "Faable.Cli", "bin", Configuration, "net10.0", "faable.dll");

    /// <summary>A process start for <c>dotnet faable.dll args</c>, with every stream redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null)
    {
        if (!File.Exists(Dll))
        {
            throw new InvalidOperationException($"The tool is not built at {Dll}; build tests/Faable.Cli.Tests first.");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove(Faable.Cli.Webhooks.WebhookCommands.SecretVariable);
        return info;
    }

    /// <summary>Runs the tool to completion with <paramref name="stdin"/> piped in (empty when null).</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin = null, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = StartInfo(args, workingDirectory);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"faable {string.Join(' ', args)} did not finish within {DefaultTimeout}. Output: {await output} {await error}");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);
}
