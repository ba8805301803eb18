using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>
/// Reports the signing keys: unhealthy without usable keys (requests get 503), degraded when the last fetch failed
/// or the keys are older than the refresh interval, healthy otherwise. Keys due for a refresh are refreshed first
/// (within the cool-down), so an idle application is not reported stale.
/// </summary>
internal sealed class FaableAuthHealthCheck(JwksKeyStore store, IOptions<FaableAuthOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var set = store.Current;
        if (set is null || time.GetUtcNow() - set.FetchedAt >= settings.JwksRefreshInterval)
        {
            await store.TryRefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            set = store.Current;
        }

        var now = time.GetUtcNow();
        var failure = store.LastRefreshFailure;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["issuer"] = store.Tenant.Issuer,
            ["keys"] = set?.Keys.Count ?? 0,
        };
        if (set is not null)
        {
            data["age_seconds"] = Math.Round((now - set.FetchedAt).TotalSeconds);
        }

        if (failure is not null)
        {
            data["last_refresh_failure"] = failure;
        }

        var failed = failure is null ? string.Empty : $" The last fetch failed: {failure}.";
        if (set is null || set.Keys.Count == 0)
        {
            return HealthCheckResult.Unhealthy($"No usable signing keys for {store.Tenant.Issuer}; requests with a token are answered 503.{failed}", data: data);
        }

        var age = now - set.FetchedAt;
        if (age > settings.MaxKeyAge)
        {
            return HealthCheckResult.Unhealthy($"The signing keys are {age:g} old, beyond Faable:MaxKeyAge ({settings.MaxKeyAge:g}); requests with a token are answered 503.{failed}", data: data);
        }

        if (failure is not null)
        {
            return HealthCheckResult.Degraded($"Serving last-known-good keys fetched {age:g} ago.{failed}", data: data);
        }

        if (age > settings.JwksRefreshInterval + settings.JwksRefreshCooldown)
        {
            return HealthCheckResult.Degraded($"The signing keys are stale: fetched {age:g} ago, refresh interval {settings.JwksRefreshInterval:g}.", data: data);
        }

        return HealthCheckResult.Healthy($"{set.Keys.Count} signing key(s) fetched {age:g} ago.", data);
    }
}
