namespace Faable.AspNetCore.OpenApi;

/// <summary>How <c>AddFaableSecurity</c> describes the Faable tenant and each operation's requirements in an OpenAPI document.</summary>
public sealed class FaableOpenApiSecurityOptions
{
    /// <summary>Gets or sets the name of the OAuth 2.0 security scheme in <c>components.securitySchemes</c>.</summary>
    /// <value><c>Faable</c>.</value>
    public string SchemeName { get; set; } = "Faable";

    /// <summary>Gets the descriptions shown next to scopes in the security scheme, by scope; scopes without one get a generic text.</summary>
    /// <value>Empty.</value>
    public IDictionary<string, string> ScopeDescriptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether the scheme lists the client credentials flow (machine-to-machine) next to the authorization code flow.</summary>
    /// <value><see langword="true"/>.</value>
    public bool IncludeClientCredentialsFlow { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether protected operations document the 401 and 403 <c>application/problem+json</c> answers.</summary>
    /// <value><see langword="true"/>.</value>
    public bool AddProblemResponses { get; set; } = true;
}
