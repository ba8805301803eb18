namespace Faable.Actions.Flow;

/// <summary>
/// What the host knows about the login request besides the <c>event</c>: the client it is for and the browser
/// session it runs in. A paused flow is bound to both; <c>/continue</c> must present the same values.
/// </summary>
public sealed record FlowContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="clientId">The client (application) id of the login; on post-login it must equal <c>event.client.client_id</c>.</param>
    /// <param name="sessionId">The host's id of the browser session (for example a cookie-bound value).</param>
    /// <exception cref="ArgumentException">A value is empty.</exception>
    public FlowContext(string clientId, string sessionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        ClientId = clientId;
        SessionId = sessionId;
    }

    /// <summary>Creates the context of a login event: its client, and the given browser session.</summary>
    /// <param name="loginEvent">The event; its <c>client.client_id</c> becomes <see cref="ClientId"/>.</param>
    /// <param name="sessionId">The host's id of the browser session.</param>
    /// <returns>The context.</returns>
    public static FlowContext For(Events.LoginEvent loginEvent, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(loginEvent);
        return new FlowContext(loginEvent.Client.ClientId, sessionId);
    }

    /// <summary>The client (application) id of the login.</summary>
    public string ClientId { get; }

    /// <summary>The host's id of the browser session.</summary>
    public string SessionId { get; }
}
