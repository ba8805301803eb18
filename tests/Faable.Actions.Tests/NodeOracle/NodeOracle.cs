using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Actions.Events;

namespace Faable.Actions.Tests.NodeOracle;

/// <summary>
/// Node, run once for the whole suite: the driver script receives every program and the event, and answers one
/// outcome per program. Where Node is missing the suite skips, except under CI, where a missing Node fails it.
/// </summary>
internal static class NodeOracle
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, OracleOutcome>>> s_outcomes = new(RunAllAsync);

    /// <summary>The Node executable on PATH, or <see langword="null"/>.</summary>
    public static string? NodePath { get; } = FindNode();

    public static Task<IReadOnlyDictionary<string, OracleOutcome>> OutcomesAsync => s_outcomes.Value;

    /// <summary>Skips the calling test with a clear message when Node is absent (outside CI).</summary>
    public static void RequireNode()
    {
        if (NodePath is not null)
        {
            return;
        }

        var message = "Node is not installed (no 'node' on PATH): the differential suite compares the emulator with Node and cannot run. Install Debian's nodejs, as .ci/run does.";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(message + " CI must have Node.");
        }

        Assert.Skip(message);
    }

    /// <summary>The event both sides see, read from <c>NodeOracle/event.json</c> as Faable logs events.</summary>
    public static LoginEvent Event { get; } = LoginEvent.FromJson(File.ReadAllText(Path.Combine(OracleProgramCatalog.Folder, "event.json")));

    private static async Task<IReadOnlyDictionary<string, OracleOutcome>> RunAllAsync()
    {
        // Node gets the very object the emulator's scripts see (with the stats the engine computes).
        var eventJson = await EmulatorSide.ScriptEventJsonAsync();
        var input = new JsonObject
        {
            ["event"] = JsonNode.Parse(eventJson),
            ["programs"] = new JsonArray(OracleProgramCatalog.All.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["code"] = p.Code }).ToArray()),
        };

        var start = new ProcessStartInfo(NodePath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(OracleProgramCatalog.Folder, "node-driver.js"));
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The Node driver did not finish within 2 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The Node driver failed with exit code {process.ExitCode}: {await stderr}");
        }

        var outcomes = new Dictionary<string, OracleOutcome>(StringComparer.Ordinal);
        foreach (var item in JsonNode.Parse(await stdout)!.AsArray())
        {
            var o = item!.AsObject();
            var denial = o["denial"] as JsonObject;
            var error = o["error"] as JsonObject;
            outcomes[(string)o["name"]!] = new OracleOutcome(
                (string?)denial?["reason"],
                (string?)denial?["code"],
                (string?)o["redirect"],
                o["reviews"]!.AsArray().Select(r => (string)r!).ToList(),
                o["console"]!.AsArray().Select(c => $"console.{(string)c!["level"]!}: {(string)c["text"]!}").ToList(),
                (string?)error?["kind"],
                (string?)error?["message"]);
        }

        return outcomes;
    }

    private static string? FindNode()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "node", "nodejs" })
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
