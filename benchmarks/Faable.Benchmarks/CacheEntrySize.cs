namespace Faable.Benchmarks;

/// <summary>
/// Measures the bytes one validated-token cache entry keeps alive: the heap after filling a cache with distinct
/// tokens, minus the heap before, over the count; and the same without the token text and the claims (the cache's
/// own bookkeeping).
/// </summary>
internal static class CacheEntrySize
{
    public static void Print(int count)
    {
        var tenant = new AuthBenchmarkTenant();
        var (validator, cache, _) = tenant.CreateValidator(cacheSize: count);
        var before = Heap();
        var tokens = TokenCacheBenchmarks.Fill(cache, validator, tenant.Token, count);
        var after = Heap();
        var textBytes = tokens.Sum(t => 22L + (2L * t.Length));
        var total = (after - before - textBytes) / (double)count;
        Console.WriteLine($"| {count} entries | token {tenant.Token.Length} chars, {tenant.Token.Length} B stored | {total:F0} B per entry (heap growth, the request's own token strings excluded) |");
        GC.KeepAlive(tokens);
        GC.KeepAlive(cache);
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
