using System.Diagnostics;
using System.Text;
using Faable.Tests.Shared;

namespace OrdersApi.Tests.Infrastructure;

/// <summary>
/// The sample running as a child process on 127.0.0.1: started with <c>dotnet OrdersApi.dll</c> (or
/// <c>dotnet run</c>), its output captured, stopped (with its children) on dispose.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Origin = $"http://127.0.0.1:{port}";
    }

    public int Port { get; }

    /// <summary>The sample's origin, e.g. <c>http://127.0.0.1:50123</c>.</summary>
    public string Origin { get; }

    /// <summary>The local tenant's issuer.</summary>
    public string Tenant => Origin + "/_faable";

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the built sample: <c>dotnet OrdersApi.dll --urls http://127.0.0.1:port</c>.</summary>
    public static async Task<SampleProcess> StartBuiltAsync(string environment = "Development", params string[] extraArgs)
    {
        var sample = LaunchBuilt(environment, extraArgs);
        await sample.WaitUntilStartedAsync();
        return sample;
    }

    /// <summary>Launches the built sample without waiting for it to start (it may be expected to fail).</summary>
    public static SampleProcess LaunchBuilt(string environment, params string[] extraArgs)
    {
        if (!File.Exists(RepoPaths.SampleDll))
        {
            throw new InvalidOperationException($"The sample is not built at {RepoPaths.SampleDll}; build tests/OrdersApi.Tests first.");
        }

        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.SampleOutput };
        info.ArgumentList.Add(RepoPaths.SampleDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["DOTNET_ENVIRONMENT"] = environment;
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }

        return Launch(info, port);
    }

    /// <summary>Starts the sample as the README says: <c>dotnet run --project samples/OrdersApi</c> (without building).</summary>
    public static async Task<SampleProcess> StartWithDotnetRunAsync()
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { "run", "--project", "samples/OrdersApi", "--no-build", "-c", RepoPaths.Configuration, "--", "--urls", $"http://127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }

        var sample = Launch(info, port);
        await sample.WaitUntilStartedAsync();
        return sample;
    }

    private static SampleProcess Launch(ProcessStartInfo info, int port)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("ASPNETCORE_URLS");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sample = new SampleProcess(process, port);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    private async Task WaitUntilStartedAsync()
    {
        try
        {
            await WaitForOutputAsync("Application started.", StartTimeout);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails if the process exits or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sample exited with code {_process.ExitCode} before printing '{text}'. Output:\n{Output}");
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"The sample did not print '{text}' within {timeout}. Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to exit on its own (a start-up failure); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync() => ChildProcessStop.KillAndDisposeAsync(_process);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
