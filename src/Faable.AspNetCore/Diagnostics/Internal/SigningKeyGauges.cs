using System.Diagnostics.Metrics;
using Faable.AspNetCore.Internal;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>Observable gauges of the key store on the <c>Faable.AspNetCore</c> meter.</summary>
internal sealed class SigningKeyGauges
{
    public SigningKeyGauges(IMeterFactory meterFactory, JwksKeyStore keys, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(FaableAuthDefaults.MeterName);
        meter.CreateObservableGauge("faable.auth.signing_keys", () => keys.Current?.Keys.Count ?? 0, "{key}", "Usable signing keys of the tenant currently held.");
        meter.CreateObservableGauge(
            "faable.auth.signing_keys.age",
            () => keys.Current is { } set ? new[] { new Measurement<double>((time.GetUtcNow() - set.FetchedAt).TotalSeconds) } : [],
            "s",
            "Time since the signing keys in use were fetched.");
    }
}
