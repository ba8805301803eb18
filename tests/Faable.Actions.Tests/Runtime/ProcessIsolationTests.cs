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
            var (exitCode, output, error) = await ProbeProcess.RunAsync(script);

            Assert.True(exitCode == 0, $"the probe process died with exit code {exitCode}: {error}");
            Assert.StartsWith("ActionLimitExceededException|MaxRecursionDepth|", output.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
    }
}
