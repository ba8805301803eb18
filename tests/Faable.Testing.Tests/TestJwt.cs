using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Testing.Tests;

/// <summary>Validation with a plain <see cref="JsonWebTokenHandler"/> against a JWKS document, as a resource server would.</summary>
internal static class TestJwt
{
    public static async Task<TokenValidationResult> ValidateAsync(string token, string jwksJson, string issuer, string audience, DateTimeOffset? now = null)
    {
        var keys = new JsonWebKeySet(jwksJson).GetSigningKeys();
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            TryAllIssuerSigningKeys = false,
            ClockSkew = TimeSpan.Zero,
            IgnoreTrailingSlashWhenValidatingAudience = false,
        };
        if (now is { } at)
        {
            parameters.LifetimeValidator = (nbf, exp, _, _) => exp is { } e && e > at.UtcDateTime && (nbf is not { } n || n <= at.UtcDateTime);
        }

        return await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
    }

    public static JsonWebToken Read(string token) => new JsonWebTokenHandler().ReadJsonWebToken(token);
}
