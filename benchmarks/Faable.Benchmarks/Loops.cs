namespace Faable.Benchmarks;

/// <summary>Runs one benchmark method a fixed number of times, for instruction counts under callgrind.</summary>
internal static class Loops
{
    public static void Run(string name, int count)
    {
        switch (name)
        {
            case "action":
            case "chain":
            {
                var bench = new ActionRuntimeBenchmarks();
                bench.Setup();
                for (var i = 0; i < count; i++)
                {
                    _ = name == "action" ? bench.JavaScriptPostLogin()?.Length ?? 0 : bench.JavaScriptChainOfThree();
                }

                break;
            }

            case "repeated":
            case "firstseen":
            case "raw":
            {
                var bench = new AuthValidationBenchmarks();
                bench.Setup();
                for (var i = 0; i < count; i++)
                {
                    _ = (name switch
                    {
                        "repeated" => bench.FaableRepeatedAsync(),
                        "firstseen" => bench.FaableFirstSeenAsync(),
                        _ => bench.RawJsonWebTokenHandlerAsync(),
                    }).GetAwaiter().GetResult();
                }

                break;
            }

            default:
                throw new ArgumentException($"unknown loop '{name}': action, chain, repeated, firstseen, raw", nameof(name));
        }
    }
}
