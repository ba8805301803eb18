using Faable.Testing.Internal;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Testing;

/// <summary>
/// A fluent builder for one token of a <see cref="FaableTestTenant"/>. The defaults give a token exactly as Faable
/// issues it; the other methods make the variants tests need (expired, not yet valid, wrong audience or issuer,
/// unknown key…). Call <see cref="Build"/> for the compact JWT.
/// </summary>
public sealed class FaableTokenBuilder
{
    private static readonly TimeSpan DefaultShift = TimeSpan.FromMinutes(10);

    private readonly FaableTestTenant _tenant;
    private readonly Dictionary<string, object> _overrides = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private string _subject;
    private string _issuer;
    private List<string> _audiences;
    private string? _scope;
    private List<string>? _permissions;
    private FaablePermissionsFormat _permissionsFormat;
    private string _clientId;
    private string _accountId;
    private List<string>? _teams;
    private List<string>? _roles;
    private string? _nonce;
    private DateTimeOffset? _authTime;
    private string? _email;
    private bool? _emailVerified;
    private string? _name;
    private DateTimeOffset? _issuedAt;
    private DateTimeOffset? _expiresAt;
    private DateTimeOffset? _notBefore;
    private TimeSpan? _expiredBy;
    private TimeSpan? _notYetValidBy;
    private TimeSpan _lifetime;
    private string _type = "JWT";
    private SigningMode _signing = SigningMode.Current;
    private string? _signingKeyId;
    private string? _headerKeyId;
    private bool _headerKeyIdSet;

    internal FaableTokenBuilder(FaableTestTenant tenant, FaableTokenKind kind, string subject)
    {
        _tenant = tenant;
        Kind = kind;
        _subject = subject;
        _issuer = tenant.Issuer;
        _permissionsFormat = tenant.PermissionsFormat;
        _accountId = tenant.AccountId;
        switch (kind)
        {
            case FaableTokenKind.MachineAccessToken:
                _clientId = subject;
                _audiences = [tenant.DefaultAudience];
                _lifetime = tenant.AccessTokenLifetime;
                break;
            case FaableTokenKind.IdToken:
                _clientId = tenant.DefaultClientId;
                _audiences = [tenant.DefaultClientId];
                _lifetime = tenant.IdTokenLifetime;
                break;
            default:
                _clientId = tenant.DefaultClientId;
                _audiences = [tenant.DefaultAudience];
                _scope = "openid profile email";
                _lifetime = tenant.AccessTokenLifetime;
                break;
        }
    }

    private enum SigningMode
    {
        Current,
        SpecificKey,
        UnknownKey,
        UnknownKeyWithCurrentKid,
        Unsigned,
    }

    /// <summary>The kind of token being built.</summary>
    public FaableTokenKind Kind { get; }

    /// <summary>Sets <c>sub</c>.</summary>
    public FaableTokenBuilder WithSubject(string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        _subject = subject;
        return this;
    }

    /// <summary>Sets the space-separated <c>scope</c> claim, e.g. <c>"openid profile read:orders"</c>.</summary>
    public FaableTokenBuilder WithScope(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        _scope = scope;
        return this;
    }

    /// <summary>Sets the <c>scope</c> claim from individual scopes (joined with spaces).</summary>
    public FaableTokenBuilder WithScopes(params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _scope = string.Join(' ', scopes);
        return this;
    }

    /// <summary>Sets the <c>permissions</c> claim, written in the tenant's default shape unless <see cref="WithPermissionsFormat"/> says otherwise.</summary>
    public FaableTokenBuilder WithPermissions(params string[] permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        _permissions = [.. permissions];
        return this;
    }

    /// <summary>Chooses the JSON shape of <c>permissions</c>: a space-separated string or an array.</summary>
    public FaableTokenBuilder WithPermissionsFormat(FaablePermissionsFormat format)
    {
        _permissionsFormat = format;
        return this;
    }

    /// <summary>Sets <c>client_id</c> (and, for a machine token, <c>sub</c>; for an ID token, <c>aud</c>).</summary>
    public FaableTokenBuilder WithClientId(string clientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        _clientId = clientId;
        if (Kind == FaableTokenKind.MachineAccessToken)
        {
            _subject = clientId;
        }
        else if (Kind == FaableTokenKind.IdToken)
        {
            _audiences = [clientId];
        }

        return this;
    }

    /// <summary>Sets <c>account</c>.</summary>
    public FaableTokenBuilder WithAccount(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        _accountId = accountId;
        return this;
    }

    /// <summary>Sets <c>aud</c> to one value (a string claim).</summary>
    public FaableTokenBuilder WithAudience(string audience)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        _audiences = [audience];
        return this;
    }

    /// <summary>Sets <c>aud</c> to several values (an array claim).</summary>
    public FaableTokenBuilder WithAudiences(params string[] audiences)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        _audiences = [.. audiences];
        return this;
    }

    /// <summary>Sets <c>aud</c> to <c>&lt;issuer&gt;/userinfo</c>: a token requested without an audience, never meant for an API.</summary>
    public FaableTokenBuilder WithUserInfoAudience() => WithAudience(_tenant.UserInfoAudience);

    /// <summary>Sets <c>aud</c> to another API's identifier.</summary>
    public FaableTokenBuilder WithWrongAudience() => WithAudience("https://another-api.example.com");

    /// <summary>Sets <c>iss</c>.</summary>
    public FaableTokenBuilder WithIssuer(string issuer)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        _issuer = issuer;
        return this;
    }

    /// <summary>Sets <c>iss</c> to the tenant URL with a trailing <c>/</c> (the Auth0-style mistake).</summary>
    public FaableTokenBuilder WithTrailingSlashIssuer() => WithIssuer(_tenant.Issuer + "/");

    /// <summary>Sets <c>iss</c> to another tenant.</summary>
    public FaableTokenBuilder WithWrongIssuer() => WithIssuer("https://another-tenant.auth.faable.link");

    /// <summary>Sets the optional <c>teams</c> array.</summary>
    public FaableTokenBuilder WithTeams(params string[] teams)
    {
        ArgumentNullException.ThrowIfNull(teams);
        _teams = [.. teams];
        return this;
    }

    /// <summary>Sets the optional <c>roles</c> array.</summary>
    public FaableTokenBuilder WithRoles(params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        _roles = [.. roles];
        return this;
    }

    /// <summary>Sets <c>nonce</c> (ID tokens echo the one sent to <c>/authorize</c>).</summary>
    public FaableTokenBuilder WithNonce(string nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        _nonce = nonce;
        return this;
    }

    /// <summary>Sets <c>auth_time</c>; ID tokens default to the issue time.</summary>
    public FaableTokenBuilder WithAuthTime(DateTimeOffset authTime)
    {
        _authTime = authTime;
        return this;
    }

    /// <summary>Sets <c>email</c> and <c>email_verified</c>.</summary>
    public FaableTokenBuilder WithEmail(string email, bool verified = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        _email = email;
        _emailVerified = verified;
        return this;
    }

    /// <summary>Sets <c>name</c>.</summary>
    public FaableTokenBuilder WithName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
        return this;
    }

    /// <summary>Sets (or replaces) a string claim.</summary>
    public FaableTokenBuilder WithClaim(string name, string value) => SetClaim(name, value);

    /// <summary>Sets (or replaces) a numeric claim.</summary>
    public FaableTokenBuilder WithClaim(string name, long value) => SetClaim(name, value);

    /// <summary>Sets (or replaces) a boolean claim.</summary>
    public FaableTokenBuilder WithClaim(string name, bool value) => SetClaim(name, value);

    /// <summary>Sets (or replaces) a string-array claim.</summary>
    public FaableTokenBuilder WithClaim(string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return SetClaim(name, values.ToList());
    }

    /// <summary>Leaves a claim out of the payload, including a standard one such as <c>exp</c> or <c>client_id</c>.</summary>
    public FaableTokenBuilder WithoutClaim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _overrides.Remove(name);
        _removed.Add(name);
        return this;
    }

    /// <summary>Sets <c>iat</c>; <c>exp</c> follows from the lifetime unless set.</summary>
    public FaableTokenBuilder IssuedAt(DateTimeOffset issuedAt)
    {
        _issuedAt = issuedAt;
        return this;
    }

    /// <summary>Sets <c>exp - iat</c>.</summary>
    public FaableTokenBuilder WithLifetime(TimeSpan lifetime)
    {
        _lifetime = lifetime;
        return this;
    }

    /// <summary>Sets <c>exp</c>.</summary>
    public FaableTokenBuilder ExpiresAt(DateTimeOffset expiresAt)
    {
        _expiresAt = expiresAt;
        return this;
    }

    /// <summary>Sets <c>nbf</c>.</summary>
    public FaableTokenBuilder NotBefore(DateTimeOffset notBefore)
    {
        _notBefore = notBefore;
        return this;
    }

    /// <summary>Makes the token expired: <c>exp</c> lies <paramref name="ago"/> before the tenant clock's now (default 10 minutes, beyond the usual 5-minute skew).</summary>
    public FaableTokenBuilder Expired(TimeSpan? ago = null)
    {
        _expiredBy = ago ?? DefaultShift;
        return this;
    }

    /// <summary>Makes the token not yet valid: <c>nbf</c> lies <paramref name="ahead"/> after now (default 10 minutes).</summary>
    public FaableTokenBuilder NotYetValid(TimeSpan? ahead = null)
    {
        _notYetValidBy = ahead ?? DefaultShift;
        return this;
    }

    /// <summary>Sets the header <c>typ</c> (default <c>JWT</c>, as Faable sends).</summary>
    public FaableTokenBuilder WithType(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        _type = type;
        return this;
    }

    /// <summary>
    /// Signs with a fresh key the tenant never published (a random <c>kid</c>), issued five minutes ago unless
    /// <see cref="IssuedAt"/> says otherwise, so a resource server that fetched the keys since answers 401.
    /// </summary>
    public FaableTokenBuilder SignedWithUnknownKey()
    {
        _signing = SigningMode.UnknownKey;
        return this;
    }

    /// <summary>Signs with a fresh unpublished key but writes the current key's <c>kid</c> in the header (a forged token).</summary>
    public FaableTokenBuilder SignedWithUnknownKeyUsingCurrentKeyId()
    {
        _signing = SigningMode.UnknownKeyWithCurrentKid;
        return this;
    }

    /// <summary>Signs with one of the tenant's keys, published or retired, by <c>kid</c>.</summary>
    /// <exception cref="ArgumentException">The tenant never had that key.</exception>
    public FaableTokenBuilder SignedWithKey(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (_tenant.FindKey(keyId) is null)
        {
            throw new ArgumentException($"The tenant has no key '{keyId}'.", nameof(keyId));
        }

        _signing = SigningMode.SpecificKey;
        _signingKeyId = keyId;
        return this;
    }

    /// <summary>Writes <paramref name="keyId"/> as the header <c>kid</c> while signing with the chosen key.</summary>
    public FaableTokenBuilder WithKeyId(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        _headerKeyId = keyId;
        _headerKeyIdSet = true;
        return this;
    }

    /// <summary>Leaves <c>kid</c> out of the header.</summary>
    public FaableTokenBuilder WithoutKeyId()
    {
        _headerKeyId = null;
        _headerKeyIdSet = true;
        return this;
    }

    /// <summary>Produces an unsigned token (<c>alg: none</c>), which every validator must reject.</summary>
    public FaableTokenBuilder WithoutSignature()
    {
        _signing = SigningMode.Unsigned;
        return this;
    }

    /// <summary>Signs and serializes the token (compact JWS).</summary>
    public string Build()
    {
        var now = _tenant.TimeProvider.GetUtcNow();
        var expires = _expiresAt;
        var issuedAt = _issuedAt;
        if (_expiredBy is { } by)
        {
            expires ??= now - by;
            issuedAt ??= expires.Value - _lifetime;
        }

        // A key the tenant never published belongs to a token issued before the API last fetched the keys; a fresh one
        // could be signed by a key published since, which the API answers 503 until its next fetch.
        if (_signing == SigningMode.UnknownKey)
        {
            issuedAt ??= now - TimeSpan.FromMinutes(5);
        }

        issuedAt ??= now;
        expires ??= issuedAt.Value + _lifetime;
        var notBefore = _notBefore ?? (_notYetValidBy is { } ahead ? now + ahead : null);

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Iss] = _issuer,
            [JwtRegisteredClaimNames.Sub] = _subject,
            [JwtRegisteredClaimNames.Aud] = _audiences.Count == 1 ? _audiences[0] : _audiences,
            [JwtRegisteredClaimNames.Iat] = issuedAt.Value.ToUnixTimeSeconds(),
            [JwtRegisteredClaimNames.Exp] = expires.Value.ToUnixTimeSeconds(),
        };
        if (notBefore is { } nbf)
        {
            claims[JwtRegisteredClaimNames.Nbf] = nbf.ToUnixTimeSeconds();
        }

        if (Kind == FaableTokenKind.IdToken)
        {
            claims[JwtRegisteredClaimNames.AuthTime] = (_authTime ?? issuedAt.Value).ToUnixTimeSeconds();
        }
        else
        {
            if (_scope is not null)
            {
                claims["scope"] = _scope;
            }

            if (_permissions is not null)
            {
                claims["permissions"] = _permissionsFormat == FaablePermissionsFormat.JsonArray ? _permissions : string.Join(' ', _permissions);
            }

            claims["client_id"] = _clientId;
            claims["account"] = _accountId;
        }

        AddIfSet(claims, JwtRegisteredClaimNames.Nonce, _nonce);
        AddIfSet(claims, JwtRegisteredClaimNames.Email, _email);
        if (_emailVerified is { } verified)
        {
            claims["email_verified"] = verified;
        }

        AddIfSet(claims, JwtRegisteredClaimNames.Name, _name);
        if (_teams is not null)
        {
            claims["teams"] = _teams;
        }

        if (_roles is not null)
        {
            claims["roles"] = _roles;
        }

        foreach (var (name, value) in _overrides)
        {
            claims[name] = value;
        }

        foreach (var name in _removed)
        {
            claims.Remove(name);
        }

        return Sign(claims);
    }

    private string Sign(Dictionary<string, object> claims)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var descriptor = new SecurityTokenDescriptor { Claims = claims, TokenType = _type };
        TenantSigningKey? ephemeral = null;
        try
        {
            switch (_signing)
            {
                case SigningMode.Unsigned:
                    break;
                case SigningMode.UnknownKey:
                    ephemeral = TenantSigningKey.Create();
                    descriptor.SigningCredentials = ephemeral.CreateCredentials(HeaderKeyId(ephemeral.KeyId));
                    break;
                case SigningMode.UnknownKeyWithCurrentKid:
                    ephemeral = TenantSigningKey.Create();
                    descriptor.SigningCredentials = ephemeral.CreateCredentials(HeaderKeyId(_tenant.CurrentKeyId));
                    break;
                default:
                    var key = _signing == SigningMode.SpecificKey ? _tenant.FindKey(_signingKeyId!)! : _tenant.CurrentKey;
                    descriptor.SigningCredentials = key.CreateCredentials(HeaderKeyId(key.KeyId));
                    break;
            }

            return handler.CreateToken(descriptor);
        }
        finally
        {
            ephemeral?.Dispose();
        }
    }

    private string? HeaderKeyId(string keyId) => _headerKeyIdSet ? _headerKeyId : keyId;

    private FaableTokenBuilder SetClaim(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _removed.Remove(name);
        _overrides[name] = value;
        return this;
    }

    private static void AddIfSet(Dictionary<string, object> claims, string name, string? value)
    {
        if (value is not null)
        {
            claims[name] = value;
        }
    }
}
