using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Faable.Tests.Shared;

namespace Faable.Cli.Tests.Infrastructure;

/// <summary>
/// <c>faable emulator start --json</c> running as a child process: started on a free port, its start-up line parsed,
/// stopped with SIGINT as Ctrl+C would (killed if it does not stop).
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<JsonObject> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EmulatorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>{"event":"started",...}</c> line.</summary>
    public JsonObject Started { get; private set; } = [];

    public string Issuer => Started["issuer"]!.GetValue<string>();

    public bool HasExited => _process.HasExited;

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

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts the emulator with <paramref name="args"/> plus <c>--port</c> and <c>--json</c>, and waits until it listens.</summary>
    public static Task<EmulatorProcess> StartAsync(string workingDirectory, params string[] args) =>
        StartAsync(workingDirectory, OrdersApi.Tests.Infrastructure.FreePort.Next(), args);

    /// <summary>Starts the emulator on <paramref name="port"/> (the same port across a restart keeps the issuer).</summary>
    public static async Task<EmulatorProcess> StartAsync(string workingDirectory, int port, params string[] args)
    {
        var emulator = Launch(workingDirectory, port, args);
        var finished = await Task.WhenAny(emulator._started.Task, emulator._process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (finished != emulator._started.Task)
        {
            var message = emulator._process.HasExited
                ? $"The emulator exited with code {emulator._process.ExitCode} before it started."
                : $"The emulator did not start within {StartTimeout}.";
            await emulator.DisposeAsync();
            throw new InvalidOperationException($"{message}{Environment.NewLine}stdout: {emulator.Output}{Environment.NewLine}stderr: {emulator.Error}");
        }

        emulator.Started = await emulator._started.Task;
        return emulator;
    }

    /// <summary>Launches without waiting for the start (for runs expected to fail).</summary>
    public static EmulatorProcess Launch(string workingDirectory, int port, params string[] args)
    {
        var info = FaableTool.StartInfo(["emulator", "start", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", .. args], workingDirectory);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var emulator = new EmulatorProcess(process, port);
        process.OutputDataReceived += (_, e) => emulator.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.OnError(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) and waits for the exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);

        // The asynchronous readers finish with the streams.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync() => ChildProcessStop.KillAndDisposeAsync(_process);

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("{\"event\":\"started\"", StringComparison.Ordinal))
        {
            _started.TrySetResult(JsonNode.Parse(line)!.AsObject());
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _error.AppendLine(line);
        }
    }
}
