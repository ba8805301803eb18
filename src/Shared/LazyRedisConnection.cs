using StackExchange.Redis;

namespace Faable.Shared;

/// <summary>
/// A Redis connection made from a configuration string on first use, that keeps reconnecting in the background while
/// Redis is unreachable instead of failing for good (operations fail meanwhile), and is disposed only if it was made.
/// Compiled into each package that talks to Redis.
/// </summary>
internal sealed class LazyRedisConnection : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    public LazyRedisConnection(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        _connection = new(async () =>
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        });
    }

    /// <summary>Gets the connection, making it on the first call.</summary>
    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }
}
