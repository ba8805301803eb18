using Faable.Testing.Internal;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Testing;

/// <summary>
/// A Faable tenant in memory: an issuer URL, rotating RSA-2048 signing keys, the discovery and JWKS documents,
/// and builders for tokens shaped exactly as Faable issues them (plus the broken variants tests need).
/// </summary>
/// <remarks>
/// Keys: <see cref="RotateKeys"/> makes a new current key; earlier keys stay published in the JWKS (so tokens they
/// signed keep validating) until <see cref="RetireKey"/> removes them. Instances are thread-safe.
/// </remarks>
public sealed class FaableTestTenant : IDisposable
{
    /// <summary>The issuer used when none is configured.</summary>
    public const string DefaultIssuer = "https://test-tenant.auth.faable.link";

    private readonly Lock _lock = new();
    private readonly List<TenantSigningKey> _published = [];
    private readonly List<TenantSigningKey> _retired = [];
    private readonly string[] _scopesSupported;
    private TenantSigningKey _current;

    /// <summary>Creates a tenant at <see cref="DefaultIssuer"/> with one signing key.</summary>
    public FaableTestTenant()
        : this(new FaableTestTenantOptions())
    {
    }

    /// <summary>Creates a tenant at <paramref name="issuer"/> with one signing key.</summary>
    /// <param name="issuer">The tenant URL, e.g. <c>https://acme.auth.faable.link</c>; no trailing slash.</param>
    /// <exception cref="ArgumentException">The issuer is not an absolute http(s) URL without trailing slash, query or fragment.</exception>
    public FaableTestTenant(string issuer)
        : this(new FaableTestTenantOptions { Issuer = issuer })
    {
    }

    /// <summary>Creates a tenant from <paramref name="options"/> with one signing key.</summary>
    /// <exception cref="ArgumentException">The issuer is not an absolute http(s) URL without trailing slash, query or fragment.</exception>
    public FaableTestTenant(FaableTestTenantOptions options)
        : this(options, initialKey: null)
    {
    }

    /// <summary>Creates a tenant whose first signing key is <paramref name="initialKey"/> (a persisted key), or a new one.</summary>
    internal FaableTestTenant(FaableTestTenantOptions options, TenantSigningKey? initialKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AccountId);
        var error = IssuerRules.Validate(options.Issuer);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(options));
        }

        Issuer = options.Issuer;
        AccountId = options.AccountId;
        DefaultAudience = options.DefaultAudience;
        DefaultClientId = options.DefaultClientId;
        PermissionsFormat = options.PermissionsFormat;
        AccessTokenLifetime = options.AccessTokenLifetime;
        IdTokenLifetime = options.IdTokenLifetime;
        TimeProvider = options.TimeProvider;
        _scopesSupported = [.. options.ScopesSupported];
        _current = initialKey ?? TenantSigningKey.Create();
        _published.Add(_current);
        Handler = new FaableTestTenantHandler(this);
    }

    /// <summary>The tenant URL and <c>iss</c> of its tokens; never ends with <c>/</c>.</summary>
    public string Issuer { get; }

    /// <summary>The issuer without its scheme, e.g. <c>test-tenant.auth.faable.link</c> or <c>127.0.0.1:5001/_faable</c>.</summary>
    public string Domain => Issuer[(Issuer.IndexOf("://", StringComparison.Ordinal) + 3)..];

    /// <summary>The <c>account</c> claim of this tenant's tokens.</summary>
    public string AccountId { get; }

    /// <summary>
    /// The <c>aud</c> of access tokens whose builder sets none: <see cref="FaableTestTenantOptions.DefaultAudience"/>,
    /// or the audience last given to <c>UseFaableTestTenant(tenant, audience)</c> / <c>AddFaableTestTenant</c>, so
    /// the tokens the tenant makes are those the API it was wired into accepts.
    /// </summary>
    public string DefaultAudience { get; private set; }

    internal void UseAudience(string audience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        DefaultAudience = audience;
    }

    /// <summary>The <c>client_id</c> of tokens whose builder sets none.</summary>
    public string DefaultClientId { get; }

    /// <summary>The default shape of the <c>permissions</c> claim.</summary>
    public FaablePermissionsFormat PermissionsFormat { get; }

    /// <summary>Default lifetime of access tokens.</summary>
    public TimeSpan AccessTokenLifetime { get; }

    /// <summary>Default lifetime of ID tokens.</summary>
    public TimeSpan IdTokenLifetime { get; }

    /// <summary>The tenant's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The discovery document URL: <c>&lt;issuer&gt;/.well-known/openid-configuration</c>.</summary>
    public Uri DiscoveryUri => new(Issuer + TenantPaths.Discovery);

    /// <summary>The JWKS URL: <c>&lt;issuer&gt;/.well-known/jwks.json</c>.</summary>
    public Uri JwksUri => new(Issuer + TenantPaths.Jwks);

    /// <summary>The audience Faable gives a token requested without one: <c>&lt;issuer&gt;/userinfo</c>.</summary>
    public string UserInfoAudience => Issuer + TenantPaths.UserInfo;

    /// <summary>
    /// An in-process handler that serves this tenant's discovery and JWKS documents, counts requests and can simulate an
    /// outage. One instance per tenant; it holds no resources, so disposing an <see cref="HttpClient"/> built on it is harmless.
    /// </summary>
    public FaableTestTenantHandler Handler { get; }

    /// <summary>The <c>kid</c> of the key that signs new tokens.</summary>
    public string CurrentKeyId
    {
        get
        {
            lock (_lock)
            {
                return _current.KeyId;
            }
        }
    }

    /// <summary>The <c>kid</c>s published in the JWKS, newest last.</summary>
    public IReadOnlyList<string> PublishedKeyIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _published.Select(k => k.KeyId)];
            }
        }
    }

    /// <summary>Creates a new current signing key and returns its <c>kid</c>; the previous keys stay published.</summary>
    public string RotateKeys()
    {
        var key = TenantSigningKey.Create();
        lock (_lock)
        {
            _published.Add(key);
            _current = key;
        }

        return key.KeyId;
    }

    /// <summary>
    /// Removes a previous key from the JWKS. Tokens it signed stop validating, and
    /// <see cref="FaableTokenBuilder.SignedWithKey(string)"/> can still sign with it to test exactly that.
    /// </summary>
    /// <returns><see langword="true"/> when the key was published and is now retired.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="keyId"/> is the current key; rotate first.</exception>
    public bool RetireKey(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        lock (_lock)
        {
            if (_current.KeyId == keyId)
            {
                throw new InvalidOperationException($"Key '{keyId}' is the current signing key; call RotateKeys() before retiring it.");
            }

            var key = _published.Find(k => k.KeyId == keyId);
            if (key is null)
            {
                return false;
            }

            _published.Remove(key);
            _retired.Add(key);
            return true;
        }
    }

    /// <summary>The OpenID Connect discovery document (JSON) as Faable serves it.</summary>
    public string GetDiscoveryDocument() => TenantJson.Discovery(Issuer, _scopesSupported);

    /// <summary>The JWKS document (JSON): public parts only (<c>kty</c>, <c>use</c>, <c>alg</c>, <c>kid</c>, <c>n</c>, <c>e</c>).</summary>
    public string GetJwks()
    {
        lock (_lock)
        {
            return TenantJson.Jwks(_published);
        }
    }

    /// <summary>The public keys currently published in the JWKS.</summary>
    public IReadOnlyList<SecurityKey> GetPublishedSigningKeys()
    {
        lock (_lock)
        {
            return [.. _published.Select(k => k.PublicKey)];
        }
    }

    /// <summary>
    /// Strict validation parameters for this tenant's access tokens: issuer, <paramref name="audience"/>, RS256 only,
    /// published keys, no clock skew. Handy to check a token with a plain <c>JsonWebTokenHandler</c>.
    /// </summary>
    public TokenValidationParameters CreateValidationParameters(string audience)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        return new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = GetPublishedSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.Zero,
            TryAllIssuerSigningKeys = false,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = TimeProvider.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp > now && (notBefore is not { } nbf || nbf <= now);
            },
        };
    }

    /// <summary>
    /// Starts a user access token: <c>sub</c> a user id, <c>scope</c> <c>openid profile email</c>, <c>client_id</c>,
    /// <c>account</c>, <c>aud</c> <see cref="DefaultAudience"/>, <c>iss</c>, <c>iat</c>, <c>exp</c>.
    /// </summary>
    /// <param name="userId">The <c>sub</c>; defaults to a fixed <c>user_…</c> id.</param>
    public FaableTokenBuilder CreateUserAccessToken(string? userId = null) =>
        new(this, FaableTokenKind.UserAccessToken, userId ?? "user_66f1a2b3c4d5e6f7a8b9c0d1");

    /// <summary>Starts a machine-to-machine access token: <c>sub</c> equals <c>client_id</c>, no OIDC scopes.</summary>
    /// <param name="clientId">The client; defaults to <see cref="DefaultClientId"/>.</param>
    public FaableTokenBuilder CreateMachineAccessToken(string? clientId = null) =>
        new(this, FaableTokenKind.MachineAccessToken, clientId ?? DefaultClientId);

    /// <summary>Starts an ID token: <c>aud</c> the client id, <c>auth_time</c>, optional <c>nonce</c> and profile claims.</summary>
    /// <param name="userId">The <c>sub</c>; defaults to a fixed <c>user_…</c> id.</param>
    public FaableTokenBuilder CreateIdToken(string? userId = null) =>
        new(this, FaableTokenKind.IdToken, userId ?? "user_66f1a2b3c4d5e6f7a8b9c0d1");

    /// <summary>Disposes the RSA keys.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var key in _published.Concat(_retired))
            {
                key.Dispose();
            }

            _published.Clear();
            _retired.Clear();
        }
    }

    internal TenantSigningKey CurrentKey
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    internal TenantSigningKey? FindKey(string keyId)
    {
        lock (_lock)
        {
            return _published.Find(k => k.KeyId == keyId) ?? _retired.Find(k => k.KeyId == keyId);
        }
    }
}
