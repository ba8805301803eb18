using System.Globalization;
using System.Text.Json;
using Faable.Redis;
using Faable.Shared;
using StackExchange.Redis;

namespace Faable.Webhooks.Internal;

/// <summary>
/// The Redis store. De-duplication with <c>SET NX PX</c>; the inbox is a list of delivery ids with the records in a
/// hash, a sorted set of leases (claims that expire, so a crashed instance's delivery comes back), a sorted set of
/// retries by due time and a dead-letter list. Every transition is one Lua script, so it is atomic; accepting a
/// delivery (de-duplication, storing, queueing and waking the dispatchers) is one script and so one round trip.
/// </summary>
/// <remarks>
/// Pub/sub channels are not scoped to a database, so the wake-up channel names the database as well as the key
/// prefix: instances on another database of the same server are not woken for deliveries they cannot see.
/// </remarks>
internal sealed class RedisInboxStore : IWebhookInboxStore, IAsyncDisposable, IDisposable
{
    // KEYS: dedup, records, attempts, queue   ARGV: id, ttl ms, record json, wake-up channel
    private const string AcceptScript = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then
          redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
          redis.call('HSET', KEYS[3], ARGV[1], 0)
          redis.call('LPUSH', KEYS[4], ARGV[1])
          redis.call('PUBLISH', ARGV[4], ARGV[1])
          return 1
        end
        return 0
        """;

    // claim(queue, scheduled, leases, attempts, records, owners, now, lease expiry, token): due retries and expired
    // leases back into the queue, then the next queued delivery that still has a record, leased to the token.
    private const string ClaimFunction = """
        local function claim(queue, scheduled, leases, attempts, records, owners, now, expiry, token)
          local due = redis.call('ZRANGEBYSCORE', scheduled, '-inf', now, 'LIMIT', 0, 100)
          for _, id in ipairs(due) do redis.call('ZREM', scheduled, id); redis.call('RPUSH', queue, id) end
          local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)
          for _, id in ipairs(expired) do redis.call('ZREM', leases, id); redis.call('HDEL', owners, id); redis.call('RPUSH', queue, id) end
          while true do
            local id = redis.call('RPOP', queue)
            if not id then return false end
            local record = redis.call('HGET', records, id)
            if record then
              redis.call('ZADD', leases, expiry, id)
              redis.call('HSET', owners, id, token)
              local attempt = redis.call('HINCRBY', attempts, id, 1)
              return {id, record, attempt}
            end
          end
        end

        """;

    // complete(owners, leases, records, attempts, id, token): removes a handled delivery if the token still holds it.
    private const string CompleteFunction = """
        local function complete(owners, leases, records, attempts, id, token)
          if redis.call('HGET', owners, id) ~= token then return 0 end
          redis.call('HDEL', owners, id); redis.call('ZREM', leases, id)
          redis.call('HDEL', records, id); redis.call('HDEL', attempts, id)
          return 1
        end

        """;

    // KEYS: queue, scheduled, leases, attempts, records, owners   ARGV: now, lease expiry, token
    private const string ClaimScript = ClaimFunction + """
        return claim(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[1], ARGV[2], ARGV[3])
        """;

    // KEYS: owners, leases, records, attempts   ARGV: id, token
    private const string CompleteScript = CompleteFunction + """
        return complete(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], ARGV[2])
        """;

    // KEYS: queue, scheduled, leases, attempts, records, owners   ARGV: now, lease expiry, token, handled id, its token
    // Returns {completed, next id, next record, next attempt}, or {completed} when nothing is due.
    private const string CompleteAndClaimScript = ClaimFunction + CompleteFunction + """
        local completed = complete(KEYS[6], KEYS[3], KEYS[5], KEYS[4], ARGV[4], ARGV[5])
        local next = claim(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[1], ARGV[2], ARGV[3])
        if next then return {completed, next[1], next[2], next[3]} end
        return {completed}
        """;

    // KEYS: owners, leases   ARGV: id, token, lease expiry
    private const string RenewScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[1])
        return 1
        """;

    // KEYS: owners, leases, records, scheduled   ARGV: id, token, record json, due
    private const string RetryScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1]); redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]); redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
        return 1
        """;

    // KEYS: owners, leases, records, dead   ARGV: id, token, record json
    private const string DeadLetterScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1]); redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]); redis.call('LPUSH', KEYS[4], ARGV[1])
        return 1
        """;

    // KEYS: owners, leases, attempts, queue   ARGV: id, token
    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1]); redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HINCRBY', KEYS[3], ARGV[1], -1); redis.call('RPUSH', KEYS[4], ARGV[1])
        return 1
        """;

    // KEYS: dead, records, attempts, queue   ARGV: id, record json, wake-up channel
    private const string ReplayScript = """
        if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]); redis.call('HSET', KEYS[3], ARGV[1], 0)
        redis.call('LPUSH', KEYS[4], ARGV[1])
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    // KEYS: dead, records, attempts   ARGV: id
    private const string DeleteScript = """
        if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
        redis.call('HDEL', KEYS[2], ARGV[1]); redis.call('HDEL', KEYS[3], ARGV[1])
        return 1
        """;

    private readonly TimeProvider _timeProvider;
    private readonly string _prefix;
    private readonly LazyRedisConnection _connection;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly RedisKey _records, _attempts, _queue, _scheduled, _leases, _owners, _dead;
    private string? _notify;
    private int _subscribed;

    public RedisInboxStore(FaableRedisOptions options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        var prefix = _prefix = options.KeyPrefix ?? WebhookRedis.DefaultKeyPrefix;
        _records = prefix + "records";
        _attempts = prefix + "attempts";
        _queue = prefix + "queue";
        _scheduled = prefix + "scheduled";
        _leases = prefix + "leases";
        _owners = prefix + "owners";
        _dead = prefix + "dead";
        _connection = new LazyRedisConnection(options);
    }

    public async Task<bool> TryAcceptAsync(InboxRecord record, TimeSpan deduplicationWindow, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        return (int)await db.ScriptEvaluateAsync(
            AcceptScript,
            [_prefix + "dedup:" + record.DeliveryId, _records, _attempts, _queue],
            [record.DeliveryId, (long)deduplicationWindow.TotalMilliseconds, Serialize(record), _notify]).ConfigureAwait(false) == 1;
    }

    public async Task<InboxLease?> TryClaimAsync(TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var now = Now();
        var token = Guid.NewGuid().ToString("N");
        var result = await db.ScriptEvaluateAsync(
            ClaimScript,
            [_queue, _scheduled, _leases, _attempts, _records, _owners],
            [now, now + (long)leaseDuration.TotalMilliseconds, token]).ConfigureAwait(false);
        return result.IsNull || result.Resp2Type != ResultType.Array ? null : Lease((RedisResult[])result!, 0, token);
    }

    public async Task<(bool Completed, InboxLease? Next)> CompleteAndClaimAsync(InboxLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var now = Now();
        var token = Guid.NewGuid().ToString("N");
        var parts = (RedisResult[])(await db.ScriptEvaluateAsync(
            CompleteAndClaimScript,
            [_queue, _scheduled, _leases, _attempts, _records, _owners],
            [now, now + (long)leaseDuration.TotalMilliseconds, token, lease.Record.DeliveryId, lease.Token]).ConfigureAwait(false))!;
        return ((int)parts[0] == 1, parts.Length == 1 ? null : Lease(parts, 1, token));
    }

    public async Task<bool> RenewAsync(InboxLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var expiry = Now() + (long)leaseDuration.TotalMilliseconds;
        return (int)await db.ScriptEvaluateAsync(RenewScript, [_owners, _leases], [lease.Record.DeliveryId, lease.Token, expiry]).ConfigureAwait(false) == 1;
    }

    public async Task<bool> CompleteAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        return (int)await db.ScriptEvaluateAsync(CompleteScript, [_owners, _leases, _records, _attempts], [lease.Record.DeliveryId, lease.Token]).ConfigureAwait(false) == 1;
    }

    public async Task<bool> ScheduleRetryAsync(InboxLease lease, DateTimeOffset dueAt, string error, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        lease.Record.LastError = error;
        return (int)await db.ScriptEvaluateAsync(
            RetryScript,
            [_owners, _leases, _records, _scheduled],
            [lease.Record.DeliveryId, lease.Token, Serialize(lease.Record), dueAt.ToUnixTimeMilliseconds()]).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeadLetterAsync(InboxLease lease, string error, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        lease.Record.LastError = error;
        lease.Record.DeadLetteredAt = Now();
        return (int)await db.ScriptEvaluateAsync(
            DeadLetterScript,
            [_owners, _leases, _records, _dead],
            [lease.Record.DeliveryId, lease.Token, Serialize(lease.Record)]).ConfigureAwait(false) == 1;
    }

    public async Task ReleaseAsync(InboxLease lease, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.ScriptEvaluateAsync(ReleaseScript, [_owners, _leases, _attempts, _queue], [lease.Record.DeliveryId, lease.Token]).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<FaableWebhookDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (maxCount <= 0)
        {
            return [];
        }

        var db = await DatabaseAsync().ConfigureAwait(false);
        var ids = await db.ListRangeAsync(_dead, 0, maxCount - 1).ConfigureAwait(false);
        if (ids.Length == 0)
        {
            return [];
        }

        var fields = ids.Select(id => (RedisValue)(string)id!).ToArray();
        var records = await db.HashGetAsync(_records, fields).ConfigureAwait(false);
        var attempts = await db.HashGetAsync(_attempts, fields).ConfigureAwait(false);
        var list = new List<FaableWebhookDeadLetter>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            if (!records[i].IsNull)
            {
                list.Add(InMemoryInboxStore.ToDeadLetter(Deserialize(records[i]), attempts[i].IsNull ? 0 : (int)attempts[i]));
            }
        }

        return list;
    }

    public async Task<bool> ReplayAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var json = await db.HashGetAsync(_records, deliveryId).ConfigureAwait(false);
        if (json.IsNull)
        {
            return false;
        }

        var record = Deserialize(json);
        record.DeadLetteredAt = null;
        return (int)await db.ScriptEvaluateAsync(ReplayScript, [_dead, _records, _attempts, _queue], [deliveryId, Serialize(record), _notify]).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteDeadLetterAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        return (int)await db.ScriptEvaluateAsync(DeleteScript, [_dead, _records, _attempts], [deliveryId]).ConfigureAwait(false) == 1;
    }

    public async Task<long> GetBacklogAsync(CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var queued = db.ListLengthAsync(_queue);
        var scheduled = db.SortedSetLengthAsync(_scheduled);
        var leased = db.SortedSetLengthAsync(_leases);
        return await queued.ConfigureAwait(false) + await scheduled.ConfigureAwait(false) + await leased.ConfigureAwait(false);
    }

    public async Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            await DatabaseAsync().ConfigureAwait(false);
            var connection = await _connection.GetAsync().ConfigureAwait(false);
            await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_notify!), (_, _) =>
            {
                if (_signal.CurrentCount == 0)
                {
                    _signal.Release();
                }
            }).ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(maxWait, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait elapsed: look for due retries and expired leases.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _signal.Dispose();
    }

    public void Dispose()
    {
        _connection.Dispose();
        _signal.Dispose();
    }

    private static InboxLease Lease(RedisResult[] parts, int offset, string token) =>
        new(Deserialize((RedisValue)parts[offset + 1]), (int)parts[offset + 2], token);

    // UTF-8 straight from the serializer: no string in between, and Redis gets the same bytes as before.
    private static byte[] Serialize(InboxRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, WebhookJsonContext.Default.InboxRecord);

    private static InboxRecord Deserialize(RedisValue json) =>
        JsonSerializer.Deserialize(((ReadOnlyMemory<byte>)json).Span, WebhookJsonContext.Default.InboxRecord) ?? throw new InvalidOperationException("An inbox record is empty.");

    private async Task<IDatabase> DatabaseAsync()
    {
        var connection = await _connection.GetAsync().ConfigureAwait(false);
        var db = connection.GetDatabase();
        _notify ??= _prefix + "notify:" + db.Database.ToString(CultureInfo.InvariantCulture);

        return db;
    }

    private long Now() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
