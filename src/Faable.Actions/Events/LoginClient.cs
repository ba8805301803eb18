namespace Faable.Actions.Events;

/// <summary><c>event.client</c>: the application the user is signing in to.</summary>
/// <param name="ClientId"><c>event.client.client_id</c>.</param>
/// <param name="Name"><c>event.client.name</c>.</param>
public sealed record LoginClient(string ClientId, string Name);
