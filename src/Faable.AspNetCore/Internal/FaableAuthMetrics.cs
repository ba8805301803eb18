using System.Diagnostics.Metrics;

namespace Faable.AspNetCore.Internal;

/// <summary>Instruments of the <c>Faable.AspNetCore</c> meter.</summary>
internal sealed class FaableAuthMetrics
{
    private readonly Counter<long> _validations;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _cacheLookups;

    public FaableAuthMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(FaableAuthDefaults.MeterName);
        _validations = meter.CreateCounter<long>("faable.auth.token_validations", "{validation}", "Bearer tokens validated, by outcome and error.type.");
        _refreshes = meter.CreateCounter<long>("faable.auth.jwks_refreshes", "{refresh}", "Discovery and JWKS fetches, by outcome and error.type.");
        _cacheLookups = meter.CreateCounter<long>("faable.auth.token_cache_lookups", "{lookup}", "Validated-token cache lookups, by result (hit or miss).");
    }

    public void TokenValidated() =>
        _validations.Add(1, new KeyValuePair<string, object?>("outcome", "success"));

    public void TokenRejected(string reason)
    {
        _validations.Add(1, new KeyValuePair<string, object?>("outcome", "failure"), new KeyValuePair<string, object?>("error.type", reason));
        Diagnostics.Internal.FaableAuthActivities.Failed(reason);
    }

    public void KeysRefreshed() =>
        _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "success"));

    public void KeysRefreshFailed(string reason)
    {
        _refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "failure"), new KeyValuePair<string, object?>("error.type", reason));
        Diagnostics.Internal.FaableAuthActivities.Failed(reason);
    }

    public void CacheLookup(bool hit)
    {
        if (_cacheLookups.Enabled)
        {
            _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
        }
    }
}
