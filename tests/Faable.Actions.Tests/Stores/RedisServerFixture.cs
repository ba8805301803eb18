using Faable.Tests.Shared;
using StackExchange.Redis;

namespace Faable.Actions.Tests.Stores;

/// <summary>One real <c>redis-server</c> per test class, and connections that are closed with it.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private readonly List<ConnectionMultiplexer> _connections = [];
    private LocalRedis? _redis;

    internal LocalRedis Redis => _redis ?? throw new InvalidOperationException("The Redis server is not started.");

    public async ValueTask InitializeAsync() => _redis = await LocalRedis.StartAsync(TestContext.Current.CancellationToken);

    /// <summary>A new connection, as a separate application instance would have.</summary>
    /// <param name="server">Another server than the class's, e.g. one a test stops.</param>
    /// <param name="timeoutMs">How long a command waits for an answer; short in outage tests.</param>
    internal async Task<ConnectionMultiplexer> ConnectAsync(LocalRedis? server = null, int timeoutMs = 2000)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync($"{(server ?? Redis).Configuration},allowAdmin=true,connectTimeout=2000,asyncTimeout={timeoutMs},syncTimeout={timeoutMs}");
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
