using System.Security.Claims;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// The identity of a validated token. It keeps the token (the scope and permission checks read its parsed sets
/// instead of claims), and makes the token's claims on first use: a request whose code never reads a claim does not
/// pay for them. Every way of reading or changing claims (<see cref="Claims"/> and everything built on it, adding,
/// removing, cloning, serializing) sees them all, in the token's order; once the claims are changed the identity no
/// longer stands for the token alone.
/// </summary>
internal sealed class FaableClaimsIdentity : ClaimsIdentity
{
    // The token whose claims are not added yet; null once they are.
    private ValidatedToken? _unread;

    public FaableClaimsIdentity(ValidatedToken token)
        : base(FaableAuthDefaults.AuthenticationScheme, "sub", "roles")
    {
        Token = token;
        _unread = token;
    }

    private FaableClaimsIdentity(FaableClaimsIdentity other)
        : base(other)
    {
        // Cloned after its claims were made (see Clone); a copy of unchanged token claims is still the token's claims
        // (ASP.NET Core clones tickets and principals).
        Token = other.Token;
    }

    public ValidatedToken? Token { get; private set; }

    public override IEnumerable<Claim> Claims
    {
        get
        {
            EnsureClaims();
            return base.Claims;
        }
    }

    public override void AddClaim(Claim claim)
    {
        EnsureClaims();
        Token = null;
        base.AddClaim(claim);
    }

    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        EnsureClaims();
        Token = null;
        base.AddClaims(claims);
    }

    public override void RemoveClaim(Claim? claim)
    {
        EnsureClaims();
        Token = null;
        base.RemoveClaim(claim);
    }

    public override bool TryRemoveClaim(Claim? claim)
    {
        EnsureClaims();
        Token = null;
        return base.TryRemoveClaim(claim);
    }

    public override ClaimsIdentity Clone()
    {
        EnsureClaims();
        return new FaableClaimsIdentity(this);
    }

    protected override void WriteTo(BinaryWriter writer, byte[]? userData)
    {
        EnsureClaims();
        base.WriteTo(writer, userData);
    }

    private void EnsureClaims()
    {
        if (Volatile.Read(ref _unread) is not { } unread)
        {
            return;
        }

        // Two threads reading one request's identity at once must not add the claims twice, nor see half of them. The
        // lock is the token's (internal, locked nowhere else): no lock object per request, and identities of one token
        // contend only while each makes its claims, once.
        lock (unread)
        {
            if (_unread is not { } token)
            {
                return;
            }

            foreach (var claim in token.Claims)
            {
                // Passing the identity as subject avoids a clone per claim.
                base.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, token.Issuer, token.Issuer, this));
            }

            Volatile.Write(ref _unread, null);
        }
    }
}
