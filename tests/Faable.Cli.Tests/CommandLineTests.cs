using System.Text.Json.Nodes;
using Faable.Cli.Tests.Infrastructure;

namespace Faable.Cli.Tests;

/// <summary>What every command shares: help with an example, usage errors, JSON errors, no public surface.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("emulator", "start")]
    [InlineData("emulator", "init")]
    [InlineData("webhooks", "sign")]
    [InlineData("webhooks", "send")]
    [InlineData("actions", "run")]
    [InlineData("token", "doctor")]
    [InlineData("token", "decode")]
    public async Task Help_EveryCommand_ShowsAnExampleAndJson(string group, string command)
    {
        var result = await FaableTool.RunAsync(group, command, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Example:", result.Output, StringComparison.Ordinal);
        Assert.Contains($"faable {group} {command}", result.Output, StringComparison.Ordinal);
        Assert.Contains("--json", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Root_ListsTheCommandsAndExitCodes()
    {
        var result = await FaableTool.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:\n  faable [command] [options]", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Exit codes:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_Exits64PointingAtHelp()
    {
        var result = await FaableTool.RunAsync("webhooks", "sign", "--secrett", "x");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--secrett", result.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'faable webhooks sign --help'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsageError_WithJson_AlsoWritesTheErrorAsJson()
    {
        var result = await FaableTool.RunAsync("token", "decode", "not-a-jwt", "--json");

        Assert.Equal(64, result.ExitCode);
        var output = JsonNode.Parse(result.Output)!;
        Assert.Equal(64, output["exitCode"]!.GetValue<int>());
        Assert.Contains("not a JWT", output["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_ExposesNoPublicTypes()
    {
        Assert.Empty(typeof(Faable.Cli.ExitCodes).Assembly.GetExportedTypes());
    }
}
