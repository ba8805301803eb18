using Faable.Tests.Shared;

namespace Faable.Docs.Tests;

/// <summary>
/// One real <c>redis-server</c> for the examples, on a free loopback port. Its address is set as the environment
/// variable <c>ConnectionStrings__Redis</c>, which the README's <c>Program.cs</c> reads through its configuration, so a
/// <c>WebApplicationFactory&lt;Program&gt;</c> in an example needs no extra setup (and never reaches a Redis on 6379).
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private LocalRedis? _redis;

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string Configuration => _redis?.Configuration ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _redis = await LocalRedis.StartAsync(CancellationToken.None);
        Environment.SetEnvironmentVariable("ConnectionStrings__Redis", _redis.Configuration);
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable("ConnectionStrings__Redis", null);
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
