namespace Faable.Testing;

/// <summary>An application (OAuth client) of the local tenant.</summary>
public sealed class FaableLocalClient
{
    /// <summary>The <c>client_id</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// The client secret; <see langword="null"/> makes a public client (authorization code + PKCE without a secret,
    /// no client credentials grant).
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>The display name (<c>event.client.name</c> in actions).</summary>
    /// <value>Defaults to the client id when empty.</value>
    public string Name { get; set; } = "";

    /// <summary>The allowed callback URLs; <c>redirect_uri</c> must equal one exactly.</summary>
    public IList<string> CallbackUrls { get; } = [];

    /// <summary>
    /// Allowed grant types: <c>authorization_code</c>, <c>client_credentials</c>.
    /// </summary>
    /// <value>When empty: both for a client with a secret, <c>authorization_code</c> for a public client.</value>
    public IList<string> GrantTypes { get; } = [];

    /// <summary>
    /// The grant types this client may use: <see cref="GrantTypes"/>, or when it is empty both for a client with a
    /// secret and <c>authorization_code</c> for a public client. The rule <c>/authorize</c> and <c>/oauth/token</c> apply.
    /// </summary>
    /// <returns>The grant types.</returns>
    public IReadOnlyList<string> GetAllowedGrantTypes() =>
        GrantTypes.Count > 0 ? [.. GrantTypes]
        : ClientSecret is null ? ["authorization_code"] : ["authorization_code", "client_credentials"];
}
