using System.Security.Claims;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// The immutable result of a successful validation. Each request gets its own
/// <see cref="ClaimsIdentity"/> from <see cref="CreateIdentity"/>, so no mutable state is shared.
/// </summary>
internal sealed class ValidatedToken(SigningKey key, string issuer, DateTimeOffset expires, DateTimeOffset? notBefore, ClaimData[] claims)
{
    public SigningKey Key { get; } = key;

    public string Issuer { get; } = issuer;

    /// <summary>Gets the token's <c>exp</c> (without skew).</summary>
    public DateTimeOffset Expires { get; } = expires;

    public DateTimeOffset? NotBefore { get; } = notBefore;

    public IReadOnlyList<ClaimData> Claims => claims;

    // Computed on first use and then shared by every request with this token; never mutated once published.
    private IReadOnlySet<string>? _scopes;
    private IReadOnlySet<string>? _permissions;
    private IReadOnlySet<string>? _scopesAndPermissions;
    private string? _expiresText;

    /// <summary>Gets the values of <c>scope</c>, split on spaces.</summary>
    public IReadOnlySet<string> Scopes => _scopes ??= ScopeClaims.Split(claims, ScopeClaims.Scope, null);

    /// <summary>Gets the values of <c>permissions</c>, split on spaces.</summary>
    public IReadOnlySet<string> Permissions => _permissions ??= ScopeClaims.Split(claims, ScopeClaims.Permissions, null);

    /// <summary>Gets <c>scope</c> and <c>permissions</c> merged (Faable's rule).</summary>
    public IReadOnlySet<string> ScopesAndPermissions => _scopesAndPermissions ??= ScopeClaims.Split(claims, ScopeClaims.Scope, ScopeClaims.Permissions);

    /// <summary>Gets <see cref="Expires"/> as authentication properties store it (see <see cref="ExpiryItems"/>).</summary>
    public string ExpiresText => _expiresText ??= ExpiryItems.Text(Expires);

    /// <summary>A new identity for one request; its claims are made from this token when first read.</summary>
    public ClaimsIdentity CreateIdentity() => new FaableClaimsIdentity(this);
}
