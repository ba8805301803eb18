using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faable.Testing.Internal;

/// <summary><c>GET /userinfo</c>: the signed-in user's claims for a Bearer access token with the <c>openid</c> scope.</summary>
internal static class UserInfoEndpoint
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public static async Task<IResult> HandleAsync(HttpContext context, FaableLocalTenant tenant)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Challenge(StatusCodes.Status401Unauthorized, "Bearer realm=\"faable\"", "invalid_request", "A Bearer access token is required.");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = tenant.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = tenant.Tenant.GetPublishedSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            TryAllIssuerSigningKeys = false,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (nbf, exp, _, _) =>
            {
                var now = tenant.TimeProvider.GetUtcNow().UtcDateTime;
                return exp is { } e && e > now && (nbf is not { } n || n <= now);
            },
        };
        var result = await Handler.ValidateTokenAsync(value["Bearer ".Length..].Trim(), parameters).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return Challenge(StatusCodes.Status401Unauthorized, "Bearer realm=\"faable\", error=\"invalid_token\"", "invalid_token", "The access token is invalid or expired.");
        }

        if (!token.TryGetPayloadValue<string>("scope", out var scope) || !token.TryGetPayloadValue<string>("client_id", out _))
        {
            return Challenge(StatusCodes.Status401Unauthorized, "Bearer realm=\"faable\", error=\"invalid_token\"", "invalid_token", "This is not an access token (an ID token?).");
        }

        var scopes = ScopeSet.Parse(scope) ?? [];
        if (!scopes.Contains("openid", StringComparer.Ordinal))
        {
            return Challenge(StatusCodes.Status403Forbidden, "Bearer realm=\"faable\", error=\"insufficient_scope\", scope=\"openid\"", "insufficient_scope", "The access token lacks the openid scope.");
        }

        var user = tenant.UserStore.Find(token.Subject);
        if (user is null)
        {
            return Challenge(StatusCodes.Status401Unauthorized, "Bearer realm=\"faable\", error=\"invalid_token\"", "invalid_token", "The token's user does not exist.");
        }

        var body = new JsonObject { ["sub"] = user.UserId };
        if (scopes.Contains("profile", StringComparer.Ordinal) && user.Name is not null)
        {
            body["name"] = user.Name;
        }

        if (scopes.Contains("email", StringComparer.Ordinal) && user.Email is not null)
        {
            body["email"] = user.Email;
            body["email_verified"] = user.EmailVerified;
        }

        return new JsonBodyResult(body);
    }

    private static JsonBodyResult Challenge(int status, string challenge, string error, string description) =>
        new(new JsonObject { ["error"] = error, ["error_description"] = description }, status, challenge);
}
