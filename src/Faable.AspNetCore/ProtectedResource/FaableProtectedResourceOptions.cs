namespace Faable.AspNetCore.ProtectedResource;

/// <summary>
/// Settings of the RFC 9728 protected-resource metadata document served by <c>MapFaableProtectedResourceMetadata</c>.
/// Bound from code only (<c>services.Configure&lt;FaableProtectedResourceOptions&gt;</c> or the map call's delegate).
/// </summary>
public sealed class FaableProtectedResourceOptions
{
    /// <summary>
    /// Gets or sets the <c>resource</c> identifier. Clients compare it with the URL they called, so it should be the
    /// API's URL; a path in it moves the document to <c>/.well-known/oauth-protected-resource/&lt;path&gt;</c> (RFC 9728 §3.1).
    /// </summary>
    /// <value><see langword="null"/>: the first configured audience (<c>Faable:Audience</c>).</value>
    public string? Resource { get; set; }

    /// <summary>Gets or sets the human-readable <c>resource_name</c>.</summary>
    /// <value><see langword="null"/> (omitted).</value>
    public string? ResourceName { get; set; }

    /// <summary>Gets or sets the <c>resource_documentation</c> URL.</summary>
    /// <value><see langword="null"/> (omitted).</value>
    public Uri? ResourceDocumentation { get; set; }

    /// <summary>
    /// Gets or sets the absolute URL of the metadata document announced in the <c>resource_metadata</c> parameter of
    /// challenges. Set it behind proxies that rewrite the host.
    /// </summary>
    /// <value><see langword="null"/>: built from the request's scheme, host and path base.</value>
    public Uri? MetadataUri { get; set; }

    /// <summary>Gets further scopes listed in <c>scopes_supported</c> besides those the endpoints require.</summary>
    /// <value>Empty.</value>
    public IList<string> AdditionalScopes { get; } = [];

    /// <summary>Gets or sets a value indicating whether 401 challenges, and 403 challenges for missing scopes or permissions, carry the <c>resource_metadata</c> parameter (RFC 9728 §5.1).</summary>
    /// <value><see langword="true"/>.</value>
    public bool AnnounceInChallenges { get; set; } = true;
}
