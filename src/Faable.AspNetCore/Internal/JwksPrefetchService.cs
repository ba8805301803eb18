using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faable.AspNetCore.Internal;

/// <summary>Starts fetching the keys at start-up without waiting for them and without failing start-up.</summary>
internal sealed class JwksPrefetchService(JwksKeyStore store, ILogger<JwksPrefetchService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.Tenant.IsHttp)
        {
            Log.HttpsMetadataDisabled(logger, store.Tenant.Issuer);
        }

        _ = store.TryRefreshAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
