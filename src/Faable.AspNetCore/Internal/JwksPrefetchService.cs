using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>Starts fetching the keys at start-up without waiting for them and without failing start-up.</summary>
internal sealed class JwksPrefetchService(JwksKeyStore store, IOptions<FaableAuthOptions> options, ILogger<JwksPrefetchService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.Tenant.IsHttp || !options.Value.RequireHttpsMetadata)
        {
            Log.HttpsMetadataDisabled(logger, store.Tenant.Issuer);
        }

        _ = store.TryRefreshAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
