namespace Faable.Actions.Internal;

/// <summary>The configuration section <c>AddFaableActions</c> bound (or the conventional <c>Faable:Actions</c>), named by validation messages.</summary>
internal sealed class FaableActionsSection(string path)
{
    public string Path { get; } = path;
}
