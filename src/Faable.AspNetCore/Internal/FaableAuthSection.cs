namespace Faable.AspNetCore.Internal;

/// <summary>The configuration section <c>AddFaableAuth</c> bound (or the conventional <c>Faable</c>), named by validation messages.</summary>
internal sealed class FaableAuthSection(string path)
{
    public string Path { get; } = path;
}
