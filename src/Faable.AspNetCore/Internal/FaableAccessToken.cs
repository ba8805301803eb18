using Microsoft.IdentityModel.Tokens;

namespace Faable.AspNetCore.Internal;

/// <summary>The <see cref="SecurityToken"/> JwtBearer receives for a validated Faable access token.</summary>
internal sealed class FaableAccessToken(ValidatedToken token) : SecurityToken
{
    public override string Id => string.Empty;

    public override string Issuer => token.Issuer;

    public override SecurityKey? SecurityKey => null;

    public override SecurityKey? SigningKey { get; set; }

    public override DateTime ValidFrom => token.NotBefore?.UtcDateTime ?? DateTime.MinValue;

    public override DateTime ValidTo => token.Expires.UtcDateTime;

    public override string UnsafeToString() => "[FaableAccessToken]";
}
