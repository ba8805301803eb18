using System.Net;
using System.Text;

namespace Faable.Testing;

/// <summary>
/// Serves a <see cref="FaableTestTenant"/>'s discovery and JWKS documents in process, so an API under test fetches
/// its keys without a server. Counts requests and can simulate an outage. Thread-safe.
/// </summary>
public sealed class FaableTestTenantHandler : HttpMessageHandler
{
    private readonly FaableTestTenant _tenant;
    private int _requestCount;
    private int _discoveryRequestCount;
    private int _jwksRequestCount;

    /// <summary>Creates a handler for <paramref name="tenant"/> (usually reached through <see cref="FaableTestTenant.Handler"/>).</summary>
    public FaableTestTenantHandler(FaableTestTenant tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        _tenant = tenant;
    }

    /// <summary>Every request received, including failed ones and those during an outage.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Discovery document requests answered or refused.</summary>
    public int DiscoveryRequestCount => Volatile.Read(ref _discoveryRequestCount);

    /// <summary>JWKS requests answered or refused.</summary>
    public int JwksRequestCount => Volatile.Read(ref _jwksRequestCount);

    /// <summary>The simulated outage; <see cref="FaableTestTenantOutage.None"/> by default.</summary>
    public FaableTestTenantOutage Outage { get; set; }

    /// <summary>Sets every counter back to zero.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requestCount, 0);
        Interlocked.Exchange(ref _discoveryRequestCount, 0);
        Interlocked.Exchange(ref _jwksRequestCount, 0);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Answer(request);

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Answer(request));
    }

    private HttpResponseMessage Answer(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _requestCount);
        var uri = request.RequestUri;
        var target = uri is null ? null : uri.GetLeftPart(UriPartial.Path);
        string? body = null;
        if (target == _tenant.DiscoveryUri.AbsoluteUri)
        {
            Interlocked.Increment(ref _discoveryRequestCount);
            body = _tenant.GetDiscoveryDocument();
        }
        else if (target == _tenant.JwksUri.AbsoluteUri)
        {
            Interlocked.Increment(ref _jwksRequestCount);
            body = _tenant.GetJwks();
        }

        switch (Outage)
        {
            case FaableTestTenantOutage.ConnectionFailure:
                throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({uri?.Authority}): the test tenant is simulating an outage.");
            case FaableTestTenantOutage.ServiceUnavailable:
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
        }

        if (body is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request };
        }

        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request };
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
    }
}
