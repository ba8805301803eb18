using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Faable.Testing.Internal;

/// <summary>
/// <c>GET /authorize</c> (validate, then show the login page) and <c>POST /login</c> (the page's submission).
/// </summary>
internal static class AuthorizeEndpoint
{
    public static IResult Authorize(HttpContext context, FaableLocalTenant tenant)
    {
        var parameters = RequestParameters.FromQuery(context.Request.Query, out var repeated);

        // Until client_id and redirect_uri are proven, every error is a page: never redirect to an unverified URL.
        if (context.Request.Query["client_id"].Count > 1 || context.Request.Query["redirect_uri"].Count > 1)
        {
            return Reject(tenant, "Invalid request", "client_id and redirect_uri must each appear once.");
        }

        var client = tenant.FindClient(parameters["client_id"]);
        if (client is null)
        {
            return Reject(tenant, "Unknown application", "client_id is missing or names no application of this tenant.");
        }

        var redirectUri = parameters["redirect_uri"];
        if (!IsCallbackOf(client, redirectUri))
        {
            return Reject(tenant, "Callback URL mismatch", "redirect_uri is missing or is not one of the application's allowed callback URLs (exact match).");
        }

        var state = parameters["state"];
        if (repeated is not null)
        {
            return RedirectError(tenant, redirectUri, repeated.Error, repeated.Description, state: null);
        }

        var error = Validate(parameters, client, tenant, out var scopes);
        if (error is not null)
        {
            return RedirectError(tenant, redirectUri, error.Error, error.Description, state);
        }

        var session = BrowserSession.Ensure(context, context.Request.PathBase + tenant.RoutePrefix);
        var request = new AuthorizationRequest(client.ClientId, redirectUri, state!, parameters["nonce"]!, parameters["code_challenge"]!, scopes, parameters["audience"], session);
        var transaction = tenant.AuthorizationRequests.Add(request, tenant.Options.LoginLifetime);
        return HtmlPages.Login(transaction, client, tenant.UserStore.All, tenant.Connections);
    }

    public static async Task<IResult> LoginAsync(HttpContext context, FaableLocalTenant tenant, LoginFlow flow)
    {
        if (!context.Request.HasFormContentType)
        {
            return HtmlPages.Error("Invalid request", "The login form must be posted as a form.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string? Field(string name) => form[name].Count == 1 && form[name][0] is { Length: > 0 } v ? v.Trim() : null;

        var transactionId = Field("transaction");
        var pending = tenant.AuthorizationRequests.Peek(transactionId);
        if (pending is null)
        {
            return HtmlPages.Error("Sign-in expired", "This sign-in is unknown, already finished or expired. Start again from the application.");
        }

        if (BrowserSession.Read(context) != pending.SessionId)
        {
            return HtmlPages.Error("Sign-in started elsewhere", "This sign-in belongs to another browser session. Start again from the application.");
        }

        FaableLocalUser user;
        bool created;
        string connection;
        if (Field("user_id") is { } userId)
        {
            var known = tenant.UserStore.Find(userId);
            if (known is null)
            {
                return HtmlPages.Error("Unknown user", "The selected user does not exist.");
            }

            (user, created, connection) = (known, false, known.Connection);
        }
        else
        {
            connection = Field("connection") ?? tenant.Connections[0];
            if (!tenant.Connections.Contains(connection, StringComparer.Ordinal))
            {
                return HtmlPages.Error("Unknown connection", "Choose one of the connections offered by the page.");
            }

            var email = Field("email");
            var name = Field("name");
            if (email is null && name is null)
            {
                return HtmlPages.Error("Missing identity", "Enter a name or an email, or pick a known user.");
            }

            (user, created) = tenant.UserStore.FindOrCreate(connection, email, name);
        }

        if (tenant.AuthorizationRequests.TryTake(transactionId) is not { } request)
        {
            return HtmlPages.Error("Sign-in expired", "This sign-in was already finished. Start again from the application.");
        }

        return await flow.StartAsync(context, request, user, connection, created).ConfigureAwait(false);
    }

    public static IResult RedirectWithCode(FaableLocalTenant tenant, AuthorizationRequest request, string userId, bool signup)
    {
        var grant = new AuthorizationCodeGrant(request, userId, tenant.TimeProvider.GetUtcNow());
        var code = tenant.Codes.Add(grant, tenant.Options.AuthorizationCodeLifetime);
        var query = new Dictionary<string, string?> { ["code"] = code, ["state"] = request.State };
        if (signup)
        {
            query["signup"] = "true";
        }

        return Results.Redirect(QueryHelpers.AddQueryString(request.RedirectUri, query));
    }

    private static OAuthError? Validate(RequestParameters parameters, FaableLocalClient client, FaableLocalTenant tenant, out IReadOnlyList<string> scopes)
    {
        scopes = [];
        if (!FaableLocalTenant.GrantTypesOf(client).Contains("authorization_code", StringComparer.Ordinal))
        {
            return new OAuthError(OAuthError.UnauthorizedClient, "This application may not use the authorization code grant.");
        }

        if (parameters["response_type"] != "code")
        {
            return new OAuthError(OAuthError.UnsupportedResponseType, "response_type must be 'code'.");
        }

        if (parameters["state"] is null)
        {
            return OAuthError.Request("state is required.");
        }

        if (parameters["nonce"] is null)
        {
            return OAuthError.Request("nonce is required.");
        }

        var method = parameters["code_challenge_method"];
        if (method != "S256")
        {
            return OAuthError.Request(method is null
                ? "code_challenge_method is required and must be S256 (PKCE)."
                : $"code_challenge_method '{method}' is not supported; only S256 is.");
        }

        var challenge = parameters["code_challenge"];
        if (challenge is null || challenge.Length != 43 || !challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return OAuthError.Request("code_challenge is required: the 43-character base64url SHA-256 of the code_verifier.");
        }

        var audience = parameters["audience"];
        var api = tenant.FindApi(audience);
        if (audience is not null && api is null)
        {
            return OAuthError.Audience($"No API has the identifier '{audience}'.");
        }

        var requested = ScopeSet.Parse(parameters["scope"] ?? "openid");
        if (requested is null)
        {
            return OAuthError.Scope("scope contains invalid characters.");
        }

        var unknown = requested.Where(s => !ScopeSet.IsOpenIdScope(s) && (api is null || !api.Scopes.Contains(s, StringComparer.Ordinal))).ToList();
        if (unknown.Count > 0)
        {
            return OAuthError.Scope(api is null
                ? $"Scopes other than OpenID ones need an audience: {string.Join(' ', unknown)}."
                : $"Not in the API's scope catalog: {string.Join(' ', unknown)}.");
        }

        scopes = requested;
        return null;
    }

    private static IResult Reject(FaableLocalTenant tenant, string title, string message)
    {
        Log.AuthorizeRejected(tenant.Logger, title, message);
        return HtmlPages.Error(title, message);
    }

    private static IResult RedirectError(FaableLocalTenant tenant, string redirectUri, string error, string description, string? state)
    {
        Log.AuthorizeRejected(tenant.Logger, error, description);
        return RedirectToClient(redirectUri, error, description, state);
    }

    /// <summary>Whether <paramref name="redirectUri"/> is exactly one of the client's callback URLs (no prefix or pattern matching).</summary>
    public static bool IsCallbackOf([NotNullWhen(true)] FaableLocalClient? client, [NotNullWhen(true)] string? redirectUri) =>
        client is not null && redirectUri is not null && client.CallbackUrls.Contains(redirectUri, StringComparer.Ordinal);

    /// <summary>An error response to the client (RFC 6749 §4.1.2.1); <paramref name="redirectUri"/> must be verified.</summary>
    public static IResult RedirectToClient(string redirectUri, string error, string description, string? state)
    {
        var query = new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description };
        if (state is not null)
        {
            query["state"] = state;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, query));
    }
}
