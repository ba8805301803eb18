using System.Security.Claims;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// The identity of a validated access token. It remembers the token's scope and permission sets, computed once per
/// token, until a claim is added or removed; then the sets are read from the claims again.
/// </summary>
internal sealed class FaableClaimsIdentity : ClaimsIdentity
{
    public FaableClaimsIdentity(ValidatedToken token)
        : base(FaableAuthDefaults.AuthenticationScheme, "sub", "roles")
    {
        Token = token;
    }

    private FaableClaimsIdentity(FaableClaimsIdentity other)
        : base(other)
    {
        // A copy of unchanged token claims is still the token's claims (ASP.NET Core clones tickets and principals).
        Token = other.Token;
    }

    /// <summary>Gets the token the claims came from, or <see langword="null"/> once the claims were changed.</summary>
    public ValidatedToken? Token { get; private set; }

    public override void AddClaim(Claim claim)
    {
        Token = null;
        base.AddClaim(claim);
    }

    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        Token = null;
        base.AddClaims(claims);
    }

    public override void RemoveClaim(Claim? claim)
    {
        Token = null;
        base.RemoveClaim(claim);
    }

    public override bool TryRemoveClaim(Claim? claim)
    {
        Token = null;
        return base.TryRemoveClaim(claim);
    }

    public override ClaimsIdentity Clone() => new FaableClaimsIdentity(this);

    /// <summary>Adds the token's claims while keeping the precomputed sets.</summary>
    internal void AddTokenClaim(Claim claim) => base.AddClaim(claim);
}
