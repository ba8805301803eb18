namespace Faable.Actions.Events;

/// <summary><c>event.request</c>: the browser request that started the login.</summary>
public sealed record LoginRequest
{
    /// <summary><c>event.request.ip</c>.</summary>
    /// <value>Defaults to <c>127.0.0.1</c>.</value>
    public string Ip { get; init; } = "127.0.0.1";

    /// <summary><c>event.request.userAgent</c>.</summary>
    /// <value>Defaults to an empty string.</value>
    public string UserAgent { get; init; } = "";

    /// <summary><c>event.request.language</c>: the raw <c>Accept-Language</c> header, <c>""</c> when absent.</summary>
    /// <value>Defaults to an empty string.</value>
    public string Language { get; init; } = "";

    /// <summary><c>event.request.device</c>: <c>mobile</c>, <c>desktop</c>, <c>bot</c> or <c>unknown</c>.</summary>
    /// <value>Defaults to <c>unknown</c>.</value>
    public string Device { get; init; } = "unknown";

    /// <summary><c>event.request.ip_datacenter</c>; given to the script only when its source names the field.</summary>
    public bool? IpDatacenter { get; init; }

    /// <summary><c>event.request.ip_active_blocks</c>; given to the script only when its source names the field.</summary>
    public int? IpActiveBlocks { get; init; }

    /// <summary><c>event.request.ip_network_active_blocks</c>; given to the script only when its source names the field.</summary>
    public int? IpNetworkActiveBlocks { get; init; }
}
