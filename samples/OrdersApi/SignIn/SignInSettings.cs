namespace OrdersApi.SignIn;

/// <summary>How the sample's pages sign users in: the tenant, the web application's client, the API to call.</summary>
public sealed class SignInSettings
{
    /// <summary>The tenant URL (issuer), e.g. <c>https://acme.auth.faable.link</c>.</summary>
    public required string Authority { get; init; }

    /// <summary>The web application's client id.</summary>
    public string? ClientId { get; init; }

    /// <summary>The web application's client secret (the code exchange happens server-side).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The API identifier the access token is requested for.</summary>
    public required string Audience { get; init; }

    /// <summary>The scopes requested at sign-in.</summary>
    public string Scope { get; init; } = "openid profile email read:orders";

    /// <summary>This application's public origin, e.g. <c>http://localhost:5080</c>.</summary>
    public required string PublicOrigin { get; init; }

    /// <summary>The callback URL registered for the client.</summary>
    public string CallbackUrl => PublicOrigin + "/callback";

    /// <summary>Whether a client is configured, so the sign-in button can work.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);
}
