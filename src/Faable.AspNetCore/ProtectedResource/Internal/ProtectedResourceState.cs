namespace Faable.AspNetCore.ProtectedResource.Internal;

/// <summary>Whether, and where, the metadata document is mapped; read by the challenge writer.</summary>
internal sealed class ProtectedResourceState
{
    private volatile string? _path;
    private volatile Uri? _metadataUri;

    /// <summary>Gets the path the document is served at, or <see langword="null"/> while it is not mapped (or not announced).</summary>
    public string? Path => _path;

    public Uri? MetadataUri => _metadataUri;

    public void Announce(string path, Uri? metadataUri)
    {
        _metadataUri = metadataUri;
        _path = path;
    }
}
