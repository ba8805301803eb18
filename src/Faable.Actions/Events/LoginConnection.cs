namespace Faable.Actions.Events;

/// <summary><c>event.connection</c>: how the user authenticated.</summary>
/// <param name="Name"><c>event.connection.name</c>, e.g. <c>github</c>.</param>
/// <param name="Strategy"><c>event.connection.strategy</c>, e.g. <c>github</c>, <c>google</c>, <c>database</c>.</param>
public sealed record LoginConnection(string Name, string Strategy);
