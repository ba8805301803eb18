using BenchmarkDotNet.Running;
using Faable.Benchmarks;

if (args is ["--cache-entry-bytes", ..])
{
    // Not a timing: the managed heap's growth per validated-token cache entry, printed as a table row.
    CacheEntrySize.Print(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
    return;
}

if (args is ["--cpu", var name, var count, .. var sizes])
{
    // Interleaved rounds measured by the thread's CPU time (see Loops): --cpu auth 15 [cache sizes], --cpu first 15, --cpu actions 15.
    Loops.Run(name, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), [.. sizes.Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))]);
    return;
}

if (args is ["--spin", var row, var seconds])
{
    // One row in a loop for a profiler (perf with DOTNET_PerfMapEnabled=1, dotnet-trace): --spin raw 20.
    Loops.Spin(row, double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
