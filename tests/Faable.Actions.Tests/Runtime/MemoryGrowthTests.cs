using System.Globalization;

namespace Faable.Actions.Tests.Runtime;

/// <summary>
/// What the host's memory does while hostile actions run, measured in a child process (its peak resident memory
/// during the runs minus its resident memory just before): a refused allocation costs the process almost nothing,
/// and eight hostile actions at once stay far under half a gigabyte.
/// </summary>
public sealed class MemoryGrowthTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData("'x'.repeat(2 ** 29)")]
    [InlineData("'x'.repeat(2 ** 28)")]
    [InlineData("''.padEnd(2 ** 28, 'ab')")]
    [InlineData("''.padStart(2 ** 28)")]
    [InlineData("Array(500000).fill('x'.repeat(1000)).join('')")]
    [InlineData("new Uint8Array(2 ** 30)")]
    [InlineData("new TextEncoder().encode('\\u00e9'.repeat(2 ** 24))")]
    [InlineData("let s = 'x'.repeat(2 ** 24)\nfor (;;) s = s + s\ns.indexOf('y')")]
    public async Task OversizedAllocation_IsRefused_AndTheProcessGrowsByLessThan64MB(string body)
    {
        var (lines, growth) = await RunAsync(body, concurrent: 1);

        Assert.StartsWith("ActionLimitExceededException|MaxMemoryBytes|", lines[0], StringComparison.Ordinal);
        Assert.True(growth < 64 * MiB, $"the process grew by {growth / MiB} MB");
    }

    [Theory]
    [InlineData("let s = ''\nconst chunk = 'x'.repeat(2 ** 20)\nfor (;;) s += chunk")]
    [InlineData("const kept = []\nfor (;;) kept.push('x'.repeat(100000) + kept.length)")]
    public async Task GrowthStepByStep_StopsAtTheHeldLimit_PlusOneCheckStep(string body)
    {
        // The default limit is 64 MiB; a reading is taken every 8 MiB the action allocates.
        var (lines, growth) = await RunAsync(body, concurrent: 1);

        Assert.StartsWith("ActionLimitExceededException|MaxMemoryBytes|", lines[0], StringComparison.Ordinal);
        Assert.True(growth < 96 * MiB, $"the process grew by {growth / MiB} MB");
    }

    [Fact]
    public async Task EightHostileActionsAtOnce_KeepThePeakUnder512MB()
    {
        var (lines, growth) = await RunAsync("const kept = []\nfor (;;) kept.push('x'.repeat(100000) + kept.length)", concurrent: 8);

        Assert.Equal(8, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("ActionLimitExceededException|MaxMemoryBytes|", line, StringComparison.Ordinal));
        Assert.True(growth < 512 * MiB, $"the process grew by {growth / MiB} MB");
    }

    private static async Task<(string[] Lines, long Growth)> RunAsync(string body, int concurrent)
    {
        var script = Path.Combine(Path.GetTempPath(), $"faable-probe-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, $"exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}}", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, output, error) = await ProbeProcess.RunAsync(script, null, "--concurrent", concurrent.ToString(CultureInfo.InvariantCulture), "--memory-report");
            Assert.True(exitCode == 0, $"the probe process died with exit code {exitCode}: {error}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var report = lines[^1];
            Assert.StartsWith("peak-growth=", report, StringComparison.Ordinal);
            return (lines[..^1], long.Parse(report["peak-growth=".Length..], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(script);
        }
    }
}
