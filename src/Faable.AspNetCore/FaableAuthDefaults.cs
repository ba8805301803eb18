namespace Faable.AspNetCore;

/// <summary>Names and values of the Faable resource server that applications refer to.</summary>
public static class FaableAuthDefaults
{
    /// <summary>The authentication scheme registered by <c>AddFaableAuth</c>.</summary>
    public const string AuthenticationScheme = "FaableBearer";

    /// <summary>The configuration section read by <c>AddFaableAuth(IConfiguration)</c> callers by convention.</summary>
    public const string ConfigurationSection = "Faable";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> (from <c>IHttpClientFactory</c>) that fetches discovery and JWKS.
    /// Configure it with <c>services.AddHttpClient(FaableAuthDefaults.BackchannelHttpClientName)</c>.
    /// </summary>
    public const string BackchannelHttpClientName = "Faable.Jwks";

    /// <summary>The name of the meter that publishes the package's metrics.</summary>
    public const string MeterName = "Faable.AspNetCore";
}
