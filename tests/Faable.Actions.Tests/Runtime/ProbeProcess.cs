using System.Diagnostics;

namespace Faable.Actions.Tests.Runtime;

/// <summary>Runs actions in the child-process probe (tests/Faable.Actions.Tests.Probe), for cases that can end or swell a process.</summary>
internal static class ProbeProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string scriptPath, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(ProbePath());
        start.ArgumentList.Add(scriptPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The probe is built next to this project (bin/&lt;configuration&gt;/&lt;framework&gt;).</summary>
    private static string ProbePath()
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent!.Name;
        var testsFolder = baseDirectory.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testsFolder, "Faable.Actions.Tests.Probe", "bin", configuration, framework, "Faable.Actions.Tests.Probe.dll");
        Assert.True(File.Exists(path), $"the probe was not built at {path}");
        return path;
    }
}
