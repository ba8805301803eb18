namespace Faable.Testing;

/// <summary>Settings of a <see cref="FaableTestTenant"/>.</summary>
public sealed class FaableTestTenantOptions
{
    /// <summary>
    /// The tenant URL, which is also the <c>iss</c> of every token: <c>https://&lt;domain&gt;</c> or an <c>http</c> loopback base
    /// such as <c>http://127.0.0.1:5001/_faable</c>. Never ends with <c>/</c>.
    /// </summary>
    /// <value>Defaults to <see cref="FaableTestTenant.DefaultIssuer"/>.</value>
    public string Issuer { get; set; } = FaableTestTenant.DefaultIssuer;

    /// <summary>The Faable account id written into the <c>account</c> claim.</summary>
    /// <value>Defaults to <c>acc_000000000000000000000001</c>.</value>
    public string AccountId { get; set; } = "acc_000000000000000000000001";

    /// <summary>The <c>aud</c> of access tokens when a builder does not set one.</summary>
    /// <value>Defaults to <c>https://api.example.com</c>.</value>
    public string DefaultAudience { get; set; } = "https://api.example.com";

    /// <summary>The <c>client_id</c> of tokens when a builder does not set one.</summary>
    /// <value>Defaults to <c>test_client</c>.</value>
    public string DefaultClientId { get; set; } = "test_client";

    /// <summary>The shape of the <c>permissions</c> claim when a builder does not choose one.</summary>
    /// <value>Defaults to <see cref="FaablePermissionsFormat.SpaceSeparatedString"/>.</value>
    public FaablePermissionsFormat PermissionsFormat { get; set; } = FaablePermissionsFormat.SpaceSeparatedString;

    /// <summary>Lifetime of access tokens (<c>exp - iat</c>).</summary>
    /// <value>Defaults to 86400 seconds, Faable's <c>expires_in</c>.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(86400);

    /// <summary>Lifetime of ID tokens.</summary>
    /// <value>Defaults to 10 hours.</value>
    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>The <c>scopes_supported</c> of the discovery document.</summary>
    /// <value>Defaults to <c>openid profile email</c>.</value>
    public IList<string> ScopesSupported { get; } = ["openid", "profile", "email"];

    /// <summary>The clock used for <c>iat</c>, <c>exp</c> and <c>nbf</c>.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
