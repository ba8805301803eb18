using Faable.Redis;
using StackExchange.Redis;

namespace Faable.Shared;

/// <summary>
/// The Redis connection of a package's store, made on first use: from <see cref="FaableRedisOptions.ConnectionMultiplexerFactory"/>
/// when the application gives one (never disposed here), otherwise from <see cref="FaableRedisOptions.Configuration"/>,
/// reconnecting in the background while Redis is unreachable instead of failing for good (operations fail meanwhile),
/// and disposed only if it was made here. Compiled into each package that talks to Redis.
/// </summary>
internal sealed class LazyRedisConnection : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly bool _owned;

    public LazyRedisConnection(string configuration)
        : this(new FaableRedisOptions { Configuration = configuration })
    {
    }

    public LazyRedisConnection(FaableRedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConnectionMultiplexerFactory is { } factory)
        {
            _connection = new(factory);
            return;
        }

        var configuration = options.Configuration;
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration, nameof(options));
        _owned = true;
        _connection = new(async () =>
        {
            var parsed = ConfigurationOptions.Parse(configuration);
            parsed.AbortOnConnectFail = false;
            return await ConnectionMultiplexer.ConnectAsync(parsed).ConfigureAwait(false);
        });
    }

    /// <summary>Gets the connection, making it on the first call.</summary>
    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (_owned && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_owned && _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }
}
