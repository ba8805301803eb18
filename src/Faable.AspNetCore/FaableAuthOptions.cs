namespace Faable.AspNetCore;

/// <summary>
/// Settings of the Faable resource server, bound from the <c>Faable</c> configuration section.
/// Property names are the configuration keys (for example <c>Faable:Domain</c>).
/// </summary>
public sealed class FaableAuthOptions
{
    /// <summary>
    /// Gets or sets the tenant: a bare host (<c>acme.auth.faable.link</c>) or a full URL
    /// (<c>https://acme.auth.faable.link</c>, or <c>http://127.0.0.1:5001/_faable</c> for a local tenant).
    /// The token issuer is the tenant URL with no trailing slash.
    /// </summary>
    /// <value>Required; no default.</value>
    public string? Domain { get; set; }

    /// <summary>Gets or sets the API identifier that access tokens must carry in <c>aud</c>.</summary>
    /// <value>No default; at least one of <see cref="Audience"/> or <see cref="Audiences"/> is required.</value>
    public string? Audience { get; set; }

    /// <summary>Gets the further API identifiers accepted in <c>aud</c> (exact, ordinal match).</summary>
    /// <value>Empty by default.</value>
    public IList<string> Audiences { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether discovery and keys must be fetched over HTTPS.
    /// Set to <see langword="false"/> only for a local tenant; doing so is logged as a warning.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Gets or sets the tolerance applied to <c>exp</c> and <c>nbf</c>.</summary>
    /// <value>30 seconds (not JwtBearer's 5 minutes). At most 5 minutes.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a value indicating whether scope checks read the <c>permissions</c> claim alone.
    /// By default <c>scope</c> and <c>permissions</c> are merged, which is Faable's own rule; with
    /// <c>enforce_policies</c> on, <c>permissions</c> is the strict reading.
    /// </summary>
    /// <value><see langword="false"/> (merge <c>scope</c> and <c>permissions</c>).</value>
    public bool TrustPermissionsOnly { get; set; }

    /// <summary>Gets or sets the shortest interval between two key-set fetches caused by unknown <c>kid</c>s or failures.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan JwksRefreshCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long one discovery or JWKS request may take.</summary>
    /// <value>5 seconds.</value>
    public TimeSpan JwksFetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how often the key set is refreshed in the background while requests use the current keys.</summary>
    /// <value>1 hour.</value>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long last-known-good keys keep being used while the tenant is unreachable.
    /// Past this age, and with no fresh keys, requests are answered 503 with <c>Retry-After</c>.
    /// </summary>
    /// <value>24 hours.</value>
    public TimeSpan MaxKeyAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets a value indicating whether tokens that passed validation are remembered until they expire.</summary>
    /// <value><see langword="true"/>.</value>
    public bool TokenCacheEnabled { get; set; } = true;

    /// <summary>Gets or sets the largest number of validated tokens remembered; an entry not used since the cache last made room is dropped first.</summary>
    /// <value>10 000.</value>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>Gets or sets the longest time a validated token is remembered, whatever its <c>exp</c>.</summary>
    /// <value>10 minutes.</value>
    public TimeSpan TokenCacheMaxLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the longest bearer token accepted, in characters; longer tokens are rejected before parsing.</summary>
    /// <value>16 384.</value>
    public int MaxTokenLength { get; set; } = 16 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether 401 descriptions name the expected and received issuer and audience.
    /// When <see langword="null"/>, details are included in the Development environment only.
    /// </summary>
    /// <value><see langword="null"/>.</value>
    public bool? IncludeErrorDetails { get; set; }

    /// <summary>
    /// Gets or sets the handler used to fetch discovery and keys instead of the
    /// <see cref="FaableAuthDefaults.BackchannelHttpClientName"/> client from <c>IHttpClientFactory</c>.
    /// Tests and a local tenant use it to serve discovery and JWKS in process. Not bound from configuration.
    /// </summary>
    /// <value><see langword="null"/> (use <c>IHttpClientFactory</c>).</value>
    public HttpMessageHandler? BackchannelHttpHandler { get; set; }
}
