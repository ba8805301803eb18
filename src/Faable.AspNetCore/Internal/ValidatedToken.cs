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

    public ClaimsIdentity CreateIdentity()
    {
        var identity = new ClaimsIdentity(FaableAuthDefaults.AuthenticationScheme, "sub", "roles");
        foreach (var claim in claims)
        {
            // Passing the identity as subject avoids a clone per claim in AddClaim.
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, Issuer, Issuer, identity));
        }

        return identity;
    }
}
