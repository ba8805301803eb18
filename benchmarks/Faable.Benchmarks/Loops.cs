using Faable.AspNetCore.Internal;

namespace Faable.Benchmarks;

/// <summary>
/// Interleaved measurements by the thread's own CPU time, for a machine shared with other work: every round runs
/// every row once, in blocks, and each row's figure is the median over the rounds; ratios are to the first row.
/// </summary>
internal static class Loops
{
    public static void Run(string name, int rounds, int[] sizes)
    {
        switch (name)
        {
            case "actions":
                Actions(rounds);
                break;
            case "auth":
                Auth(rounds, sizes.Length == 0 ? TokenCacheBenchmarks.Sizes : sizes);
                break;
            case "first":
                First(rounds);
                break;
            case "pipeline":
                Pipeline(rounds);
                break;
            default:
                throw new ArgumentException($"unknown loop '{name}': actions, auth, first, pipeline", nameof(name));
        }
    }

    /// <summary>Runs one row of the auth or action loops for <paramref name="seconds"/>, for a profiler to sample.</summary>
    public static void Spin(string row, double seconds)
    {
        // Only the row's own set-up, so that no other benchmark's heap is in the profile.
        var first = new Lazy<FirstSeenBenchmarks>(() => Ready(new FirstSeenBenchmarks(), b => b.Setup()));
        var validation = new Lazy<AuthValidationBenchmarks>(() => Ready(new AuthValidationBenchmarks(), b => b.Setup()));
        var actions = new Lazy<ActionRuntimeBenchmarks>(() => Ready(new ActionRuntimeBenchmarks(), b => b.Setup()));
        var pipeline = new Lazy<RequestPipelineBenchmarks>(() => Ready(new RequestPipelineBenchmarks(), b => b.Setup()));
        Func<bool> run = row switch
        {
            "gate" => () => actions.Value.JavaScriptPostLogin() is not null,
            "bare" => () => actions.Value.BareJint_FreshEngine_CachedPrepared().Value.Length > 0,
            "raw" => () => first.Value.RawJsonWebTokenHandlerAsync().GetAwaiter().GetResult(),
            "first" => () => first.Value.FaableFirstSeenAsync().GetAwaiter().GetResult(),
            "first-nocache" => () => first.Value.FaableFirstSeenNoCacheAsync().GetAwaiter().GetResult(),
            "rsa" => () => first.Value.RsaVerificationOnly(),
            "repeated" => () => validation.Value.FaableRepeatedAsync().GetAwaiter().GetResult(),
            "pipeline-faable" => () => pipeline.Value.FaableScoped().GetAwaiter().GetResult() == 200,
            "pipeline-floor" => () => pipeline.Value.FloorScopedNamingItsScheme().GetAwaiter().GetResult() == 200,
            _ => throw new ArgumentException($"unknown row '{row}': raw, first, first-nocache, rsa, repeated, gate, bare, pipeline-faable, pipeline-floor", nameof(row)),
        };
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(seconds * System.Diagnostics.Stopwatch.Frequency);
        var count = 0L;
        var start = ThreadCpu.Nanoseconds();
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            for (var i = 0; i < 100; i++)
            {
                count += run() ? 1 : 0;
            }
        }

        Console.WriteLine($"{row}: {count} ops, {(ThreadCpu.Nanoseconds() - start) / (double)count:F0} ns CPU per op");
    }

    private static T Ready<T>(T benchmark, Action<T> setup)
    {
        setup(benchmark);
        return benchmark;
    }

    private static void Actions(int rounds)
    {
        var bench = new ActionRuntimeBenchmarks();
        bench.Setup();
        // The bare engine (a fresh Jint engine evaluating a cached script) is its own group: what the package adds to
        // one action is the gate row against it.
        Measure(rounds, [
            new("bare engine: fresh Jint engine, cached script", 200, () => bench.BareJint_FreshEngine_CachedPrepared().Value.Length, 0),
            new("one post-login action (gate)", 200, () => bench.RunChainAction(0), 1),
            new("profile action alone", 200, () => bench.RunChainAction(1), 1),
            new("review action alone", 200, () => bench.RunChainAction(2), 1),
            new("chain of three (gate, profile, review)", 100, () => bench.JavaScriptChainOfThree(), 1),
        ]);
    }

    // First-seen tokens only (FirstSeenBenchmarks' rows), so that no large cache of another row shares the heap.
    private static void First(int rounds)
    {
        var first = new FirstSeenBenchmarks();
        first.Setup();
        Measure(rounds, [
            new("raw JsonWebTokenHandler, strict (baseline)", 400, () => first.RawJsonWebTokenHandlerAsync().GetAwaiter().GetResult() ? 1 : 0),
            new("Faable token handler, first-seen, cache on", 400, () => first.FaableFirstSeenAsync().GetAwaiter().GetResult() ? 1 : 0),
            new("Faable token handler, first-seen, cache off", 400, () => first.FaableFirstSeenNoCacheAsync().GetAwaiter().GetResult() ? 1 : 0),
            new("RSA-2048 verification alone", 400, () => first.RsaVerificationOnly() ? 1 : 0),
        ]);
    }

    // One request through each application's middleware pipeline, without the HTTP server (RequestPipelineBenchmarks):
    // the scoped rows against the plain floor, the open-endpoint rows against the open floor.
    private static void Pipeline(int rounds)
    {
        var bench = new RequestPipelineBenchmarks();
        bench.Setup();
        Measure(rounds, [
            new("floor: no-op handler + claim policy", 2000, () => bench.FloorScoped().GetAwaiter().GetResult(), 0),
            new("floor: claim policy naming its scheme", 2000, () => bench.FloorScopedNamingItsScheme().GetAwaiter().GetResult(), 0),
            new("Faable.AspNetCore, RequireScope", 2000, () => bench.FaableScoped().GetAwaiter().GetResult(), 0),
            new("floor: no-op handler, open endpoint + token", 2000, () => bench.FloorOpenWithToken().GetAwaiter().GetResult(), 1),
            new("Faable.AspNetCore, open endpoint + token", 2000, () => bench.FaableOpenWithToken().GetAwaiter().GetResult(), 1),
        ]);
    }

    // The repeated-token path at four cache sizes, each op presenting another cached token in a random order; the
    // baseline of each size is a plain dictionary lookup of the same tokens (same hash function, full comparison),
    // which pays the same memory latency for a cold entry and the same copy of the presented token.
    private static void Auth(int rounds, int[] sizes)
    {
        var rows = new List<Row>();
        var tenant = new AuthBenchmarkTenant();
        foreach (var size in sizes)
        {
            var set = new TokenCacheBenchmarks.CacheOfSize(tenant, size);
            rows.Add(new($"baseline: Dictionary lookup, {size} cached", 4000, () => set.DictionaryLookup() ? 1 : 0, size));
            rows.Add(new($"cache lookup, {size} cached", 4000, () => set.CacheLookup() ? 1 : 0, size));
            rows.Add(new($"validator, repeated token, {size} cached", 4000, () => Valid(set.Validate()), size));
            rows.Add(new($"validator and principal, {size} cached", 4000, () => set.ValidateWithPrincipal() ? 1 : 0, size));
        }

        Measure(rounds, rows);
    }

    private static void Measure(int rounds, IReadOnlyList<Row> rows)
    {
        var samples = rows.Select(_ => new List<double>()).ToArray();
        var allocated = new long[rows.Count];
        var sink = 0;
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();

        // Warm-up by time, not by count: a method runs tier-0 code until it has been called 30 times and its tier-1
        // code was compiled in the background (after a 100 ms delay), and a row with short blocks can otherwise be
        // measured in tier-0 code in its first rounds.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var row in rows)
            {
                var until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency / 2);
                while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                {
                    sink += row.Run();
                }
            }

            Thread.Sleep(300);
        }

        for (var round = -2; round < rounds; round++)
        {
            for (var r = 0; r < rows.Count; r++)
            {
                var row = rows[r];
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var start = ThreadCpu.Nanoseconds();
                for (var i = 0; i < row.Block; i++)
                {
                    sink += row.Run();
                }

                var ns = (ThreadCpu.Nanoseconds() - start) / (double)row.Block;
                bytes = (GC.GetAllocatedBytesForCurrentThread() - bytes) / row.Block;
                if (round >= 0)
                {
                    samples[r].Add(ns);
                    allocated[r] = bytes;
                }
            }
        }

        Console.WriteLine($"{rounds} interleaved rounds, thread CPU time, load average before {loadBefore}, after {File.ReadAllText("/proc/loadavg").Trim()} (checksum {sink})");
        Console.WriteLine("| row | median CPU per op | ratio to its baseline | minus its baseline | median of per-round ratios | allocated per op |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var baseline = 0.0;
        var baselineRow = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            var median = Median(samples[r]);
            if (r == 0 || rows[r].Group != rows[r - 1].Group)
            {
                baseline = median;
                baselineRow = r;
            }

            // Each round runs its rows back to back: a ratio taken within one round is not moved by the machine's
            // slower and faster phases, which last longer than a round.
            var perRound = Median([.. samples[r].Select((ns, round) => ns / samples[baselineRow][round])]);
            Console.WriteLine($"| {rows[r].Name} | {Format(median)} | {median / baseline:F3} | {Format(median - baseline)} | {perRound:F3} | {allocated[r]} B |");
        }
    }

    // A repeated token completes synchronously: read it without wrapping the ValueTask in a Task.
    private static int Valid(ValueTask<TokenCheck> pending)
    {
        if (!pending.IsCompleted)
        {
            return pending.AsTask().GetAwaiter().GetResult().IsValid ? 1 : 0;
        }

        return pending.Result.IsValid ? 1 : 0;
    }

    private static string Format(double ns) => ns >= 1000 ? $"{ns / 1000:F2} µs" : $"{ns:F0} ns";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One measured row; the first row of each <paramref name="Group"/> is that group's baseline.</summary>
    private sealed record Row(string Name, int Block, Func<int> Run, int Group = 0);
}
