namespace Faable.Actions.Events;

/// <summary>The <c>event</c> object an action receives.</summary>
public sealed record LoginEvent
{
    /// <summary>
    /// Reads an event as Faable logs it: the <c>event</c> object of the platform contract as JSON (snake_case names,
    /// <c>request.userAgent</c>). Only <c>user.user_id</c> is required; what is missing takes the defaults of
    /// <see cref="LoginEvent"/>. <see cref="ToJson"/> writes the same shape back.
    /// </summary>
    /// <param name="json">The event as JSON.</param>
    /// <returns>The event, equal to the one the tenant would build for the same login.</returns>
    /// <exception cref="FormatException">The JSON is malformed, a field has the wrong type, or a field is not part of the contract's event (the message names its path).</exception>
    public static LoginEvent FromJson(string json) => Internal.LoginEventJson.Read(json);

    /// <summary>Writes the event in the contract's JSON shape (the shape <see cref="FromJson"/> reads), e.g. for snapshots.</summary>
    /// <param name="indented">Whether to indent the JSON.</param>
    /// <returns>The JSON text; absent optional fields are left out, metadata is written as given.</returns>
    public string ToJson(bool indented = false) => Internal.LoginEventJson.Write(this, indented);

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
