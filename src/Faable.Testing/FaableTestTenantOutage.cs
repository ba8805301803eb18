namespace Faable.Testing;

/// <summary>How <see cref="FaableTestTenantHandler"/> behaves while the tenant is "down".</summary>
public enum FaableTestTenantOutage
{
    /// <summary>The tenant answers normally.</summary>
    None = 0,

    /// <summary>Every request is answered with <c>503 Service Unavailable</c>.</summary>
    ServiceUnavailable = 1,

    /// <summary>Every request fails with an <see cref="HttpRequestException"/>, as when the connection is refused.</summary>
    ConnectionFailure = 2,
}
