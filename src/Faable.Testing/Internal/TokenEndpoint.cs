using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary><c>POST /oauth/token</c>: the client credentials and authorization code (PKCE S256) grants.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, FaableLocalTenant tenant)
    {
        var (parameters, error) = await RequestParameters.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var result = parameters is null ? error! : Handle(context.Request, parameters, tenant);
        if (result is OAuthError rejected)
        {
            Log.TokenRejected(tenant.Logger, rejected.Error, rejected.Description);
            tenant.Metrics.TokenRequestRefused(parameters?["grant_type"], rejected.Error);
            return rejected.ToResult();
        }

        return (IResult)result;
    }

    private static object Handle(HttpRequest request, RequestParameters parameters, FaableLocalTenant tenant)
    {
        var grantType = parameters["grant_type"];
        if (grantType is null)
        {
            return OAuthError.Request("grant_type is required.");
        }

        if (grantType is not ("client_credentials" or "authorization_code"))
        {
            return new OAuthError(OAuthError.UnsupportedGrantType, $"grant_type '{grantType}' is not supported; use client_credentials or authorization_code.");
        }

        var (client, authError) = ClientAuthentication.Authenticate(request, parameters, tenant);
        if (client is null)
        {
            return authError!;
        }

        if (!FaableLocalTenant.GrantTypesOf(client).Contains(grantType, StringComparer.Ordinal))
        {
            return new OAuthError(OAuthError.UnauthorizedClient, $"Client '{client.ClientId}' may not use the {grantType} grant.");
        }

        return grantType == "client_credentials"
            ? ClientCredentials(parameters, client, tenant)
            : AuthorizationCode(parameters, client, tenant);
    }

    private static object ClientCredentials(RequestParameters parameters, FaableLocalClient client, FaableLocalTenant tenant)
    {
        var audience = parameters["audience"];
        if (audience is null)
        {
            return OAuthError.Request("audience is required: the identifier of the API the token is for.");
        }

        var api = tenant.FindApi(audience);
        if (api is null)
        {
            return OAuthError.Audience($"No API has the identifier '{audience}'.");
        }

        var requested = ScopeSet.Parse(parameters["scope"]);
        if (requested is null)
        {
            return OAuthError.Scope("scope contains invalid characters.");
        }

        var unknown = requested.Where(s => !api.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            return OAuthError.Scope($"Not in the API's scope catalog: {string.Join(' ', unknown)}.");
        }

        var granted = requested.Count > 0 ? requested : [.. api.Scopes];
        var builder = tenant.Tenant.CreateMachineAccessToken(client.ClientId)
            .WithAudience(api.Identifier)
            .WithScopes([.. granted])
            .WithLifetime(tenant.Options.AccessTokenLifetime);
        if (api.EnforcePolicies)
        {
            builder.WithPermissions([.. granted]).WithPermissionsFormat(api.PermissionsFormat);
        }

        Log.TokenIssued(tenant.Logger, "client_credentials", client.ClientId, api.Identifier);
        tenant.Metrics.TokenIssued("client_credentials", "access");
        return Success(tenant, builder.Build(), idToken: null, string.Join(' ', granted));
    }

    private static object AuthorizationCode(RequestParameters parameters, FaableLocalClient client, FaableLocalTenant tenant)
    {
        var code = parameters["code"];
        if (code is null)
        {
            return OAuthError.Request("code is required.");
        }

        var verifier = parameters["code_verifier"];
        var redirectUri = parameters["redirect_uri"];

        // The code is consumed by any attempt that presents it, so a failed guess cannot be retried (RFC 6749 §10.5).
        var grant = tenant.Codes.TryTake(code);
        if (grant is null)
        {
            return OAuthError.Grant("The authorization code is invalid, expired or already used.");
        }

        var request = grant.Request;
        if (request.ClientId != client.ClientId)
        {
            return OAuthError.Grant("The authorization code was issued to another client.");
        }

        if (redirectUri is null || redirectUri != request.RedirectUri)
        {
            return OAuthError.Grant("redirect_uri does not match the one sent to /authorize.");
        }

        if (verifier is null)
        {
            return OAuthError.Request("code_verifier is required (PKCE, RFC 7636).");
        }

        if (!Secrets.IsValidVerifier(verifier) || !Secrets.FixedTimeEquals(Secrets.S256(verifier), request.CodeChallenge))
        {
            return OAuthError.Grant("code_verifier does not match the code_challenge.");
        }

        var user = tenant.UserStore.Find(grant.UserId);
        if (user is null)
        {
            return OAuthError.Grant("The user of this authorization code no longer exists.");
        }

        var api = tenant.FindApi(request.Audience);
        var scope = string.Join(' ', request.Scopes);
        var access = tenant.Tenant.CreateUserAccessToken(user.UserId)
            .WithClientId(client.ClientId)
            .WithAudience(api?.Identifier ?? tenant.Tenant.UserInfoAudience)
            .WithScope(scope)
            .WithLifetime(tenant.Options.AccessTokenLifetime);
        if (api is { EnforcePolicies: true })
        {
            access.WithPermissions([.. request.Scopes.Where(s => api.Scopes.Contains(s, StringComparer.Ordinal))])
                .WithPermissionsFormat(api.PermissionsFormat);
        }

        string? idToken = null;
        if (request.Scopes.Contains("openid", StringComparer.Ordinal))
        {
            var id = tenant.Tenant.CreateIdToken(user.UserId).WithClientId(client.ClientId).WithNonce(request.Nonce).WithAuthTime(grant.AuthTime);
            if (request.Scopes.Contains("email", StringComparer.Ordinal) && user.Email is not null)
            {
                id.WithEmail(user.Email, user.EmailVerified);
            }

            if (request.Scopes.Contains("profile", StringComparer.Ordinal) && user.Name is not null)
            {
                id.WithName(user.Name);
            }

            idToken = id.Build();
        }

        Log.TokenIssued(tenant.Logger, "authorization_code", client.ClientId, api?.Identifier ?? tenant.Tenant.UserInfoAudience);
        tenant.Metrics.TokenIssued("authorization_code", "access");
        if (idToken is not null)
        {
            tenant.Metrics.TokenIssued("authorization_code", "id");
        }
        return Success(tenant, access.Build(), idToken, scope);
    }

    private static JsonBodyResult Success(FaableLocalTenant tenant, string accessToken, string? idToken, string scope)
    {
        var body = new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)tenant.Options.AccessTokenLifetime.TotalSeconds,
            ["scope"] = scope,
        };
        if (idToken is not null)
        {
            body["id_token"] = idToken;
        }

        return new JsonBodyResult(body);
    }
}
