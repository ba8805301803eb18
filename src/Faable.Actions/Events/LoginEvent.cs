namespace Faable.Actions.Events;

/// <summary>The <c>event</c> object an action receives.</summary>
public sealed record LoginEvent
{
    /// <summary><c>event.user</c>.</summary>
    public required LoginUser User { get; init; }

    /// <summary><c>event.client</c>.</summary>
    /// <value>Defaults to a development client.</value>
    public LoginClient Client { get; init; } = new("local-dev-client", "Local development");

    /// <summary><c>event.connection</c>.</summary>
    /// <value>Defaults to the <c>database</c> connection.</value>
    public LoginConnection Connection { get; init; } = new("database", "database");

    /// <summary><c>event.request</c>.</summary>
    public LoginRequest Request { get; init; } = new();

    /// <summary><c>event.stats</c>.</summary>
    public LoginStats Stats { get; init; } = new();
}
