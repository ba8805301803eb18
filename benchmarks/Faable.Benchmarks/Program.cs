using BenchmarkDotNet.Running;
using Faable.Benchmarks;

if (args is ["--cache-entry-bytes", ..])
{
    // Not a timing: the managed heap's growth per validated-token cache entry, printed as a table row.
    CacheEntrySize.Print(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
    return;
}

if (args is ["--loop", var name, var count])
{
    // A fixed amount of work for instruction counting (valgrind --tool=callgrind): run twice with different counts
    // and divide the difference, so start-up and JIT cancel out.
    Loops.Run(name, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
