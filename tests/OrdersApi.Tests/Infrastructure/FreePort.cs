using System.Net;
using System.Net.Sockets;

namespace OrdersApi.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
