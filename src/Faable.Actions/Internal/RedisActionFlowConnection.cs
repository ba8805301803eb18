using StackExchange.Redis;

namespace Faable.Actions.Internal;

/// <summary>
/// The connection of a Redis flow store registered with a configuration string: opened on first use, reconnecting
/// in the background while Redis is unreachable (operations fail closed meanwhile), disposed with the container.
/// </summary>
internal sealed class RedisActionFlowConnection : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    public RedisActionFlowConnection(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        _connection = new(async () =>
        {
            var options = ConfigurationOptions.Parse(configuration);
            options.AbortOnConnectFail = false;
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        });
    }

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
