using System.Diagnostics;

namespace Faable.Actions.Tests.Runtime;

/// <summary>
/// Recursion that, without the stack guard, ends the whole process (no catch sees a native stack overflow). Each
/// case runs in a child process, so a regression fails one test instead of killing the test host.
/// </summary>
public sealed class ProcessIsolationTests
{
    [Theory]
    [InlineData("function f() { return f() + 1 }\nf()")]
    [InlineData("const o = { valueOf() { return +o } };\n+o")]
    [InlineData("const p = new Proxy({}, { get(t, k, r) { return r[k] } });\np.x")]
    [InlineData("const o = { toString() { return `${o}` } };\n`${o}`")]
    [InlineData("const o = { get x() { return this.x } };\no.x")]
    [InlineData("class A { constructor() { new A() } }\nnew A()")]
    [InlineData("const o = { toJSON() { return JSON.stringify(o) } };\nJSON.stringify(o)")]
    [InlineData("const f = () => [1].map(f);\nf()")]
    public async Task ProcessKillingRecursion_InChildProcess_EndsWithRecursionLimit(string body)
    {
        var script = Path.Combine(Path.GetTempPath(), $"faable-probe-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, $"exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}}", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, output, error) = await RunProbeAsync(script);

            Assert.True(exitCode == 0, $"the probe process died with exit code {exitCode}: {error}");
            Assert.StartsWith("ActionLimitExceededException|MaxRecursionDepth|", output.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }

    internal static async Task<(int ExitCode, string Output, string Error)> RunProbeAsync(string scriptPath, IReadOnlyDictionary<string, string>? environment = null)
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
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
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
