namespace Faable.Webhooks.Tests;

/// <summary>A scoped service: a new id per DI scope.</summary>
internal sealed class ScopeMarker
{
    public Guid Id { get; } = Guid.NewGuid();
}
