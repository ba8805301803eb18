using System.Globalization;
using System.Text.Json;
using Faable.Actions.Internal;
using Faable.Redis;
using Faable.Shared;
using StackExchange.Redis;

namespace Faable.Actions.Stores;

/// <summary>
/// An <see cref="IActionFlowStore"/> over Redis with the guarantees several instances need: a resume state is
/// consumed by exactly one caller however many instances try at once (<c>DEL</c> answers 1 to one caller only), and
/// concurrent denials all count (<c>INCR</c> and <c>PEXPIRE</c> in one script), and a block is extended in one script
/// that keeps the longer of the standing and the new one.
/// </summary>
/// <remarks>
/// <para>
/// Keys, under <see cref="FaableRedisOptions.KeyPrefix"/> (default <c>{faable:actions}:</c>): <c>flows:{key}</c>
/// (the paused flow, raw), <c>blocks:{userId}</c> (JSON) and <c>deny-counts:{length of userId}:{userId}:{actionName}</c>
/// (an integer), all with a time to live set by Redis. The length prefix keeps distinct (user, action) pairs apart
/// whatever characters they hold. The prefix carries a hash tag, so every key is in one hash slot and the store works
/// on Redis Cluster whatever the ids hold.
/// </para>
/// <para>
/// Unreadable entries (not JSON, not an integer) are treated as absent. A Redis error (unreachable, timeout, server
/// error) is thrown as <see cref="ActionFlowStoreException"/>; the engine turns it into a failed login, so an
/// outage never continues a resume state nor issues a token. A consume whose answer is lost may have deleted the
/// flow: the user then starts the login again, the state is never usable twice.
/// </para>
/// <para>The store does not own the connection: dispose the <see cref="IConnectionMultiplexer"/> yourself.</para>
/// </remarks>
public sealed class RedisActionFlowStore : IActionFlowStore
{
    // KEYS: counter   ARGV: window in ms. A value that is not an integer is unreadable and starts again at 1.
    private const string IncrementScript = """
        local current = redis.call('GET', KEYS[1])
        if current and not string.match(current, '^%d+$') then redis.call('DEL', KEYS[1]) end
        local count = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return count
        """;

    // KEYS: block   ARGV: block JSON, time to live in ms. The block's time to live is its remaining duration, so a
    // standing block that outlives the new one is kept; otherwise the new one replaces it, in one step.
    private const string ExtendBlockScript = """
        local remaining = redis.call('PTTL', KEYS[1])
        if remaining >= tonumber(ARGV[2]) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    private readonly Func<Task<IConnectionMultiplexer>> _connection;
    private readonly string _flowPrefix;
    private readonly string _blockPrefix;
    private readonly string _countPrefix;

    /// <summary>Creates the store over an existing connection.</summary>
    /// <param name="connection">The connection, shared with the rest of the application if you like; the store does not dispose it.</param>
    /// <param name="options">
    /// The key prefix (default <c>{faable:actions}:</c>); <see cref="FaableRedisOptions.Configuration"/> and
    /// <see cref="FaableRedisOptions.ConnectionMultiplexerFactory"/> are not used.
    /// </param>
    /// <exception cref="ArgumentException">The key prefix is invalid (every problem is listed).</exception>
    public RedisActionFlowStore(IConnectionMultiplexer connection, FaableRedisOptions? options = null)
        : this(Connected(connection), options ?? new FaableRedisOptions(), ActionRedis.DefaultSection, requireConnection: false)
    {
    }

    internal RedisActionFlowStore(Func<Task<IConnectionMultiplexer>> connection, FaableRedisOptions options, string section, bool requireConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        var errors = FaableRedisOptionsValidator.Collect(options, section, ActionRedis.DefaultKeyPrefix, requireConnection);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Redis flow store options: " + string.Join(" ", errors), nameof(options));
        }

        _connection = connection;
        KeyPrefix = options.KeyPrefix ?? ActionRedis.DefaultKeyPrefix;
        _flowPrefix = KeyPrefix + "flows:";
        _blockPrefix = KeyPrefix + "blocks:";
        _countPrefix = KeyPrefix + "deny-counts:";
    }

    /// <summary>The prefix of every key this store writes.</summary>
    public string KeyPrefix { get; }

    /// <inheritdoc />
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error.</exception>
    public async ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(payload);
        var ttl = Ttl(timeToLive);
        await RunAsync("SaveFlowState", db => db.StringSetAsync(FlowKey(key), payload, ttl), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error.</exception>
    public async ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var value = await RunAsync("GetFlowState", db => db.StringGetAsync(FlowKey(key)), cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : (byte[]?)value;
    }

    /// <inheritdoc />
    /// <remarks>One <c>DEL</c>: Redis answers 1 to exactly one of any number of concurrent callers, on any connection.</remarks>
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error; the flow may or may not have been deleted, never continue it.</exception>
    public async ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await RunAsync("TryDeleteFlowState", db => db.KeyDeleteAsync(FlowKey(key)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error.</exception>
    public async ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var value = await RunAsync("GetBlock", db => db.StringGetAsync(BlockKey(userId)), cancellationToken).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize((byte[])value!, ActionsJsonContext.Default.ActionBlock);
        }
        catch (JsonException)
        {
            // An unreadable entry is treated as absent; the next denial with blockFor rewrites it.
            return null;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error.</exception>
    public async ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(block);
        var ttl = Ttl(timeToLive);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(block, ActionsJsonContext.Default.ActionBlock);
        await RunAsync("SetBlock", db => db.ScriptEvaluateAsync(ExtendBlockScript, [BlockKey(userId)], [bytes, (long)Math.Ceiling(ttl.TotalMilliseconds)]), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error.</exception>
    public async ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(actionName);
        var value = await RunAsync("GetDenyCount", db => db.StringGetAsync(CountKey(userId, actionName)), cancellationToken).ConfigureAwait(false);
        return !value.IsNull && int.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <inheritdoc />
    /// <remarks><c>INCR</c> then <c>PEXPIRE</c> in one script: concurrent denials all count and the window always restarts.</remarks>
    /// <exception cref="ActionFlowStoreException">Redis could not be reached or answered with an error.</exception>
    public async ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(actionName);
        var ttl = Ttl(window);
        var result = await RunAsync(
            "IncrementDenyCount",
            db => db.ScriptEvaluateAsync(IncrementScript, [CountKey(userId, actionName)], [(long)Math.Ceiling(ttl.TotalMilliseconds)]),
            cancellationToken).ConfigureAwait(false);
        var count = (long)result;
        return count > int.MaxValue ? int.MaxValue : (int)count;
    }

    internal RedisKey FlowKey(string key) => _flowPrefix + key;

    internal RedisKey BlockKey(string userId) => _blockPrefix + userId;

    // The length prefix keeps "a:b"+"c" and "a"+"b:c" apart.
    internal RedisKey CountKey(string userId, string actionName) =>
        _countPrefix + userId.Length.ToString(CultureInfo.InvariantCulture) + ":" + userId + ":" + actionName;

    private static Func<Task<IConnectionMultiplexer>> Connected(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var task = Task.FromResult(connection);
        return () => task;
    }

    private static TimeSpan Ttl(TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, "A time to live is positive.");
        }

        // Redis counts in whole milliseconds and refuses 0.
        return timeToLive < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : timeToLive;
    }

    // Every Redis failure becomes the one exception type the engine turns into a failed (closed) login.
    private async Task<T> RunAsync<T>(string operation, Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var connection = await _connection().ConfigureAwait(false);
            return await command(connection.GetDatabase()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw new ActionFlowStoreException(operation, actionName: null, ex);
        }
    }
}
