using System.Net;
using System.Text;
using System.Text.Json;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>Serves discovery and JWKS from memory, the way a local tenant plugs into <c>BackchannelHttpHandler</c>.</summary>
internal sealed class InProcessTenantHandler(string issuer, params TestKey[] keys) : HttpMessageHandler
{
    public int Requests { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        var path = request.RequestUri!.AbsoluteUri;
        object? body = path == issuer + "/.well-known/openid-configuration"
            ? new { issuer, jwks_uri = issuer + "/.well-known/jwks.json" }
            : path == issuer + "/.well-known/jwks.json" ? new { keys = keys.Select(k => k.ToJwk()).ToArray() } : null;
        var response = body is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        return Task.FromResult(response);
    }
}
