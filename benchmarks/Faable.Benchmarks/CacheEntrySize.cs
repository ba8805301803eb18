namespace Faable.Benchmarks;

/// <summary>
/// Measures the bytes one validated-token cache entry keeps alive: the heap after filling a cache with distinct
/// tokens, minus the heap before and minus the callers' own token strings, over the count; then the same once each
/// entry's scope set has been made (what an endpoint with a scope requirement adds).
/// </summary>
internal static class CacheEntrySize
{
    public static void Print(int count)
    {
        var tenant = new AuthBenchmarkTenant();
        var (validator, cache, store) = tenant.CreateValidator(cacheSize: count);
        var before = Heap();
        var tokens = TokenCacheBenchmarks.Fill(cache, validator, tenant.Token, count);
        var after = Heap();
        var textBytes = tokens.Sum(t => 22L + (2L * t.Length));
        var total = (after - before - textBytes) / (double)count;
        Console.WriteLine($"| {count} entries | token {tenant.Token.Length} chars, {tenant.Token.Length} B stored | {total:F0} B per entry (heap growth, the request's own token strings excluded) |");

        // An endpoint with a scope requirement also makes each token's scope set once (kept with the entry).
        foreach (var token in tokens)
        {
            if (!cache.TryGet(token, TimeProvider.System.GetUtcNow(), store.Current, out var entry))
            {
                throw new InvalidOperationException("The cache was not filled.");
            }

            _ = entry!.ScopesAndPermissions.Count;
        }

        var withScopes = (Heap() - before - textBytes) / (double)count;
        Console.WriteLine($"| {count} entries, scope sets made | token {tenant.Token.Length} chars | {withScopes:F0} B per entry |");
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
