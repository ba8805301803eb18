using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>An OAuth 2.0 error response (RFC 6749 §5.2): the <c>error</c> code, a description and the status.</summary>
internal sealed record OAuthError(string Error, string Description, int StatusCode = StatusCodes.Status400BadRequest)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";
    public const string AudienceMismatch = "aud_mismatch";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string AccessDenied = "access_denied";
    public const string ServerError = "server_error";

    public static OAuthError Request(string description) => new(InvalidRequest, description);

    public static OAuthError Client(string description) => new(InvalidClient, description, StatusCodes.Status401Unauthorized);

    public static OAuthError Grant(string description) => new(InvalidGrant, description);

    public static OAuthError Scope(string description) => new(InvalidScope, description);

    public static OAuthError Audience(string description) => new(AudienceMismatch, description);

    public IResult ToResult()
    {
        var body = new JsonObject { ["error"] = Error, ["error_description"] = Description };
        return new JsonBodyResult(body, StatusCode, StatusCode == StatusCodes.Status401Unauthorized ? "Basic realm=\"faable\"" : null);
    }
}
