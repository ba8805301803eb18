using Faable.AspNetCore;
using Faable.AspNetCore.Diagnostics.Internal;
using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health check of the Faable resource server's signing keys.</summary>
public static class FaableAuthHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "faable_auth_keys";

    /// <summary>
    /// Adds the check <c>faable_auth_keys</c>: unhealthy when there are no usable signing keys, degraded when the last
    /// fetch failed or the keys are stale, healthy otherwise. Requires <c>AddFaableAuth</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddFaableAuthHealthCheck(this IHealthChecksBuilder builder) =>
        AddFaableAuthHealthCheck(builder, DefaultName, null);

    /// <summary>Adds the signing-key check under a name of your choice, with tags (for example <c>ready</c>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by, or <see langword="null"/>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddFaableAuthHealthCheck(this IHealthChecksBuilder builder, string name, IEnumerable<string>? tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new FaableAuthHealthCheck(
                sp.GetRequiredService<JwksKeyStore>(),
                sp.GetRequiredService<IOptions<FaableAuthOptions>>(),
                sp.GetRequiredService<TimeProvider>()),
            HealthStatus.Unhealthy,
            tags,
            TimeSpan.FromSeconds(10)));
    }
}
