using System.Globalization;
using System.Text;
using System.Text.Json;
using Faable.Actions.Internal;
using Microsoft.Extensions.Caching.Distributed;

namespace Faable.Actions.Stores;

/// <summary>
/// An <see cref="IActionFlowStore"/> over <see cref="IDistributedCache"/> (Redis, SQL Server, …), for several
/// instances behind one load balancer.
/// </summary>
/// <remarks>
/// <see cref="IDistributedCache"/> has no atomic read-and-delete nor increment, so two instances consuming the
/// same resume state at the same instant can both succeed, and two simultaneous denials can count once. The
/// window is a few milliseconds and every other check still applies (signature, bindings, expiry), but resume
/// states are attacker-controlled: for a strict single-use guarantee across instances use
/// <see cref="RedisActionFlowStore"/> (atomic <c>DEL</c> and <c>INCR</c>), or implement
/// <see cref="IActionFlowStore"/> over another atomic primitive.
/// </remarks>
public sealed class DistributedCacheActionFlowStore : IActionFlowStore
{
    private const string Prefix = "faable:actions:";
    private readonly IDistributedCache _cache;

    /// <summary>Creates the store.</summary>
    /// <param name="cache">The shared cache.</param>
    public DistributedCacheActionFlowStore(IDistributedCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <inheritdoc />
    public async ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(payload);
        await _cache.SetAsync(FlowKey(key), payload, Ttl(timeToLive), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await _cache.GetAsync(FlowKey(key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var cacheKey = FlowKey(key);
        if (await _cache.GetAsync(cacheKey, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _cache.RemoveAsync(cacheKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var bytes = await _cache.GetAsync(BlockKey(userId), cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, ActionsJsonContext.Default.ActionBlock);
        }
        catch (JsonException)
        {
            // An unreadable entry is treated as absent; the next denial with blockFor rewrites it.
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(block);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(block, ActionsJsonContext.Default.ActionBlock);
        await _cache.SetAsync(BlockKey(userId), bytes, Ttl(timeToLive), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(actionName);
        var bytes = await _cache.GetAsync(CountKey(userId, actionName), cancellationToken).ConfigureAwait(false);
        return bytes is not null && int.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <inheritdoc />
    public async ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken)
    {
        var count = await GetDenyCountAsync(userId, actionName, cancellationToken).ConfigureAwait(false) + 1;
        var bytes = Encoding.UTF8.GetBytes(count.ToString(CultureInfo.InvariantCulture));
        await _cache.SetAsync(CountKey(userId, actionName), bytes, Ttl(window), cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static DistributedCacheEntryOptions Ttl(TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, "A time to live is positive.");
        }

        return new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive };
    }

    private static string FlowKey(string key) => Prefix + "flow:" + key;

    private static string BlockKey(string userId) => Prefix + "block:" + userId;

    // The length prefix keeps "a:b"+"c" and "a"+"b:c" apart.
    private static string CountKey(string userId, string actionName) =>
        Prefix + "denies:" + userId.Length.ToString(CultureInfo.InvariantCulture) + ":" + userId + ":" + actionName;
}
