namespace Faable.Testing;

/// <summary>An API (resource server) of the local tenant.</summary>
public sealed class FaableLocalApi
{
    /// <summary>The API identifier, which is the <c>audience</c> to request and the <c>aud</c> of its tokens.</summary>
    public string Identifier { get; set; } = "";

    /// <summary>A display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The scope catalog (<c>verb:resource</c> strings). Requesting no scope grants all of them.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>The JSON shape of the <c>permissions</c> claim.</summary>
    /// <value>Defaults to <see cref="FaablePermissionsFormat.SpaceSeparatedString"/>.</value>
    public FaablePermissionsFormat PermissionsFormat { get; set; } = FaablePermissionsFormat.SpaceSeparatedString;

    /// <summary>
    /// When on, tokens carry <c>permissions</c>: the granted scopes filtered against the catalog (Faable's
    /// <c>access_token_authz</c> dialect). When off, tokens carry <c>scope</c> only.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool EnforcePolicies { get; set; } = true;
}
