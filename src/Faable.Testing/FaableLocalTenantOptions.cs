namespace Faable.Testing;

/// <summary>
/// Settings of the local tenant served by <c>MapFaableLocalTenant</c>, usually bound from the configuration section
/// <c>Faable:LocalTenant</c>. Validated at start-up; every error names its key.
/// </summary>
public sealed class FaableLocalTenantOptions
{
    /// <summary>The conventional configuration section.</summary>
    public const string SectionName = "Faable:LocalTenant";

    /// <summary>
    /// The tenant URL (<c>iss</c> of every token), e.g. <c>http://localhost:5000/_faable</c>; no trailing slash. When
    /// unset it is derived once, at the first request, from the server's first listening address and the mapped
    /// prefix. It is never taken from a request's <c>Host</c> header.
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (derived).</value>
    public string? Issuer { get; set; }

    /// <summary>The Faable account id written into the <c>account</c> claim.</summary>
    /// <value>Defaults to <c>acc_000000000000000000000001</c>.</value>
    public string AccountId { get; set; } = "acc_000000000000000000000001";

    /// <summary>
    /// Allows <c>MapFaableLocalTenant</c> outside the Development environment. The local tenant hands out tokens to
    /// anyone who asks; keep it off anywhere reachable by others.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllowOutsideDevelopment { get; set; }

    /// <summary>The applications (OAuth clients) of the tenant.</summary>
    public IList<FaableLocalClient> Clients { get; } = [];

    /// <summary>The APIs (resource servers) tokens can be requested for.</summary>
    public IList<FaableLocalApi> Apis { get; } = [];

    /// <summary>The users known at start-up; the login page can create more.</summary>
    public IList<FaableLocalUser> Users { get; } = [];

    /// <summary>Webhook subscribers that receive signed deliveries.</summary>
    public IList<FaableLocalWebhookSubscriber> Webhooks { get; } = [];

    /// <summary>The connections offered by the login page (the first is preselected).</summary>
    /// <value>Defaults to <c>database</c>, <c>github</c>, <c>google</c> when left empty.</value>
    public IList<string> Connections { get; } = [];

    /// <summary>
    /// A folder of action scripts run in the login flow (post-login and continue triggers); relative paths are resolved
    /// against the content root.
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (no actions).</value>
    /// <remarks>
    /// When an action fails (throws, times out, exceeds a sandbox limit), post-login or at <c>/continue</c>, the
    /// sign-in ends as RFC 6749 §4.1.2.1 says: a redirect to the client's <c>redirect_uri</c> with
    /// <c>error=server_error</c>, an <c>error_description</c> naming the action and saying no token was issued (never
    /// the error's message), and the client's <c>state</c>. No code is issued, no paused login is kept and no
    /// <c>auth.login</c> webhook is sent; the full error goes to the tenant log (event 4010). Should the
    /// <c>redirect_uri</c> no longer be one of the client's callback URLs by then, the browser gets a
    /// <c>502 Bad Gateway</c> page instead: the request was valid, the failure is the tenant's.
    /// </remarks>
    public string? ActionsPath { get; set; }

    /// <summary>
    /// A folder where the tenant keeps its RSA signing key (<c>signing-key.pem</c>, PKCS#8, readable by the owner only),
    /// so tokens it issued still validate after a restart. Created with a new key when missing; relative paths are
    /// resolved against the content root. Keep the folder out of source control: the key signs tokens.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: a new key per process.</value>
    public string? KeysPath { get; set; }

    /// <summary>Actions given in code, run with those of <see cref="ActionsPath"/>. Not bound from configuration.</summary>
    public IList<Faable.Actions.FaableAction> Actions { get; } = [];

    /// <summary>
    /// The key that signs resume states of paused logins (at least 32 bytes). Only needed to keep states valid across
    /// restarts.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: a random key per process.</value>
    public string? ResumeStateKey { get; set; }

    /// <summary>
    /// The handler webhook deliveries are sent through, e.g. a <c>TestServer</c> handler so deliveries reach an app under
    /// test without a socket. Not bound from configuration.
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (real HTTP).</value>
    public HttpMessageHandler? WebhookHttpHandler { get; set; }

    /// <summary>Lifetime of access tokens, and the <c>expires_in</c> of token responses.</summary>
    /// <value>Defaults to 86400 seconds.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(86400);

    /// <summary>Lifetime of an authorization code; codes are single-use.</summary>
    /// <value>Defaults to 60 seconds.</value>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a started sign-in (the login page, a paused flow waiting at <c>/continue</c>) stays usable.</summary>
    /// <value>Defaults to 10 minutes.</value>
    public TimeSpan LoginLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
