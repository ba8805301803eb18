namespace Faable.Actions.Tests.NodeOracle;

/// <summary>
/// The deliberate differences the README lists, each run on both sides: what Node does, and what the emulator does
/// instead. A change on either side fails here, so the README's list cannot drift from the behaviour.
/// </summary>
public sealed class NodeOracleDifferenceTests
{
    private static async Task<(OracleOutcome Node, OracleOutcome Emulator)> BothAsync(string name)
    {
        NodeOracle.RequireNode();
        var program = OracleProgramCatalog.Get("differences/differences/" + name);
        var node = (await NodeOracle.OutcomesAsync)[program.Name];
        return (node, await EmulatorSide.OutcomeAsync(program.Code));
    }

    [Fact]
    public async Task Require_NodeLoadsHostModules_EmulatorFailsNamingRequire()
    {
        var (node, emulator) = await BothAsync("require of a host module");

        Assert.Equal("denied", node.Result);
        Assert.Equal("failed", emulator.Result);
        Assert.Contains("require('node:crypto'): require of host modules is not available", $"{emulator.ErrorKind}: {emulator.ErrorMessage}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeHostGlobals_DefinedInNode_UndefinedInTheEmulator()
    {
        var (node, emulator) = await BothAsync("Node host globals");

        Assert.Equal(["console.log: function object function function"], node.Console);
        Assert.Equal(["console.log: undefined undefined undefined undefined"], emulator.Console);
    }

    [Fact]
    public async Task ConsoleLogOfAnObject_NodeInspects_EmulatorWritesJson()
    {
        var (node, emulator) = await BothAsync("console.log of an object");

        Assert.Equal(["console.log: { plan: 'pro', n: 1 }"], node.Console);
        Assert.Equal(["console.log: {\"plan\":\"pro\",\"n\":1}"], emulator.Console);
    }

    [Fact]
    public async Task NewerBuiltIns_PresentInTheEmulator_DependOnTheNodeVersion()
    {
        var (node, emulator) = await BothAsync("built-ins newer than Node 20");

        Assert.Equal(["console.log: function function"], emulator.Console);
        Assert.Contains(node.Console.Single(), new[] { "console.log: undefined undefined", "console.log: function function" });
    }

    [Fact]
    public async Task Fetch_WithoutAHostHandler_RejectsWithTypeErrorInsteadOfReachingTheNetwork()
    {
        var (node, emulator) = await BothAsync("fetch without a host handler");

        Assert.Equal(["console.log: TypeError"], node.Console);
        Assert.Equal(node.Console, emulator.Console);
    }

    [Fact]
    public async Task Recursion_NodeGoesAboutTenThousandFramesDeep_TheEmulatorStopsAtMaxRecursionDepth()
    {
        var (node, emulator) = await BothAsync("recursion deeper than the emulator's limit");

        Assert.Equal(["console.log: 1000"], node.Console);
        Assert.Equal("limit", emulator.ErrorKind);
        Assert.Contains(nameof(ActionLimits.MaxRecursionDepth), emulator.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhandledRejection_EndsTheRunInNode_IsIgnoredByTheEmulator()
    {
        var (node, emulator) = await BothAsync("a rejection nobody handles");

        Assert.Equal(("failed", "Error", "never handled"), (node.Result, node.ErrorKind, node.ErrorMessage));
        Assert.Equal("allowed", emulator.Result);
    }
}
