namespace Faable.Actions.Stores;

/// <summary>A standing <c>blockFor</c> verdict: the user is denied without running any action until <see cref="BlockedUntil"/>.</summary>
/// <param name="ActionName">The action that denied with <c>blockFor</c>.</param>
/// <param name="Reason">The deny reason, repeated to the client on every blocked attempt.</param>
/// <param name="Code">The deny code, for the audit log.</param>
/// <param name="BlockedUntil">When the verdict ends.</param>
public sealed record ActionBlock(string ActionName, string Reason, string? Code, DateTimeOffset BlockedUntil);
