namespace Faable.AspNetCore.Internal;

/// <summary>The catalog of every answer the resource server gives; header and body are both built from it.</summary>
internal static class AuthErrors
{
    public const string InvalidToken = "invalid_token";
    public const string InvalidRequest = "invalid_request";
    public const string InsufficientScopeError = "insufficient_scope";

    // RFC 6750 §3.1: a request without credentials gets no error code in the header.
    public static readonly AuthError MissingToken = new(401, "missing_token", "missing_token", "The request has no bearer access token.");

    // RFC 6750 §2: one method per request; two Authorization headers are an invalid request.
    public static readonly AuthError MultipleCredentials = new(400, InvalidRequest, "multiple_credentials", "The request carries more than one Authorization header.");

    public static readonly AuthError TokenTooLarge = new(401, InvalidToken, "token_too_large", "The access token is longer than the accepted maximum.");
    public static readonly AuthError Malformed = new(401, InvalidToken, "malformed", "The access token is not a well-formed signed JWT.");
    public static readonly AuthError EncryptedToken = new(401, InvalidToken, "encrypted_token", "Encrypted tokens (JWE) are not accepted; send the signed access token.");
    public static readonly AuthError AlgorithmNotAllowed = new(401, InvalidToken, "algorithm_not_allowed", "The token is not signed with RS256.");
    public static readonly AuthError CriticalHeader = new(401, InvalidToken, "unsupported_critical_header", "The token header lists critical extensions this server does not understand.");
    public static readonly AuthError MissingKeyId = new(401, InvalidToken, "missing_key_id", "The token header has no kid naming its signing key.");
    public static readonly AuthError UnknownKey = new(401, InvalidToken, "unknown_key", "The token is signed with a key the tenant does not publish.");
    public static readonly AuthError BadSignature = new(401, InvalidToken, "bad_signature", "The token signature is not valid.");
    public static readonly AuthError MissingExpiration = new(401, InvalidToken, "missing_expiration", "The token has no exp claim.");
    public static readonly AuthError InvalidTimeClaim = new(401, InvalidToken, "invalid_time_claim", "The token exp, nbf or iat claim is not a NumericDate.");
    public static readonly AuthError Expired = new(401, InvalidToken, "expired", "The token has expired.");
    public static readonly AuthError NotYetValid = new(401, InvalidToken, "not_yet_valid", "The token is not valid yet (nbf).");
    public static readonly AuthError WrongIssuer = new(401, InvalidToken, "wrong_issuer", "The token was not issued by the configured tenant.");
    public static readonly AuthError WrongAudience = new(401, InvalidToken, "wrong_audience", "The token was not issued for this API (aud).");
    public static readonly AuthError UserInfoAudience = new(401, InvalidToken, "userinfo_audience", "The token was requested without an API audience; request it with audience set to this API.");
    public static readonly AuthError IdTokenSent = new(401, InvalidToken, "id_token_sent", "This looks like an ID token; send the access token issued for this API instead.");
    public static readonly AuthError Rejected = new(401, InvalidToken, "rejected", "The access token was rejected.");

    public static readonly AuthError KeysUnavailable = new(503, "temporarily_unavailable", "keys_unavailable", "The signing keys of the tenant cannot be fetched right now; retry later.");

    public static readonly AuthError InsufficientScope = new(403, InsufficientScopeError, "insufficient_scope", "The token does not grant the scopes this resource requires.");
    public static readonly AuthError InsufficientPermission = new(403, InsufficientScopeError, "insufficient_permission", "The token does not grant the permissions this resource requires.");
    public static readonly AuthError WrongCallerType = new(403, InsufficientScopeError, "wrong_caller_type", "This resource is not available to this kind of caller (user or machine).");
    public static readonly AuthError Forbidden = new(403, InsufficientScopeError, "forbidden", "The token does not grant access to this resource.");

    // The Development-only token doctor, asked to examine nothing; never part of a bearer challenge.
    public static readonly AuthError NoTokenToExamine = new(400, InvalidRequest, "no_token_to_examine", "There is no token to examine.");

    public static IReadOnlyList<AuthError> All { get; } =
    [
        MissingToken, MultipleCredentials, TokenTooLarge, Malformed, EncryptedToken, AlgorithmNotAllowed, CriticalHeader,
        MissingKeyId, UnknownKey, BadSignature, MissingExpiration, InvalidTimeClaim, Expired, NotYetValid, WrongIssuer,
        WrongAudience, UserInfoAudience, IdTokenSent, Rejected, KeysUnavailable, InsufficientScope, InsufficientPermission,
        WrongCallerType, Forbidden, NoTokenToExamine,
    ];
}
