namespace Faable.Actions.Tests.NodeOracle;

/// <summary>
/// The differential suite: every program of <c>NodeOracle/Programs</c> runs in Node (the oracle, once for all) and in
/// the emulator, and the outcomes must be equal: result, deny reason and code, redirect URL, review flags, error kind
/// (and message, unless the program says the engines word it differently) and console lines.
/// </summary>
public sealed class NodeOracleTests
{
    public static TheoryData<string> Programs => new(OracleProgramCatalog.Equal.Select(p => p.Name));

    [Fact]
    public void Catalog_HasAtLeast150Programs()
    {
        Assert.True(OracleProgramCatalog.Equal.Count >= 150, $"only {OracleProgramCatalog.Equal.Count} programs");
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Program_SameOutcomeAsNode(string name)
    {
        NodeOracle.RequireNode();
        var program = OracleProgramCatalog.Get(name);
        var node = (await NodeOracle.OutcomesAsync)[name];

        var emulator = await EmulatorSide.OutcomeAsync(program.Code);

        Assert.Equal(node.Describe(program.CompareErrorMessage), emulator.Describe(program.CompareErrorMessage));
    }
}
