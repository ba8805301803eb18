using Microsoft.Extensions.Logging;

namespace Faable.Testing.Internal;

/// <summary>Log messages of Faable.Testing (event ids 4000–4999). Tokens, secrets, codes and states are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Local Faable tenant issuer is {Issuer}")]
    public static partial void IssuerResolved(ILogger logger, string issuer);

    [LoggerMessage(4001, LogLevel.Information, "Issued a {GrantType} token to client {ClientId} for audience {Audience}")]
    public static partial void TokenIssued(ILogger logger, string grantType, string clientId, string audience);

    [LoggerMessage(4002, LogLevel.Information, "Token request rejected: {Error} ({Description})")]
    public static partial void TokenRejected(ILogger logger, string error, string description);

    [LoggerMessage(4003, LogLevel.Information, "Authorization request rejected: {Error} ({Description})")]
    public static partial void AuthorizeRejected(ILogger logger, string error, string description);

    [LoggerMessage(4004, LogLevel.Information, "User {UserId} signed in to client {ClientId} through {Connection} (signup: {Signup})")]
    public static partial void LoginCompleted(ILogger logger, string userId, string clientId, string connection, bool signup);

    [LoggerMessage(4005, LogLevel.Information, "Login of user {UserId} denied by an action: {Reason}")]
    public static partial void LoginDenied(ILogger logger, string userId, string reason);

    [LoggerMessage(4006, LogLevel.Information, "Login of user {UserId} paused by an action; browser sent to {Url}")]
    public static partial void LoginRedirected(ILogger logger, string userId, string url);

    [LoggerMessage(4007, LogLevel.Information, "Webhook {EventType} ({EventId}) delivered to {Url}: {StatusCode}")]
    public static partial void WebhookDelivered(ILogger logger, string eventType, string eventId, string url, int statusCode);

    [LoggerMessage(4008, LogLevel.Warning, "Webhook {EventType} ({EventId}) to {Url} failed: {Error}")]
    public static partial void WebhookFailed(ILogger logger, string eventType, string eventId, string url, string error);

    [LoggerMessage(4009, LogLevel.Information, "Action log ({Action}): {Message}")]
    public static partial void ActionLog(ILogger logger, string action, string message);

    [LoggerMessage(4010, LogLevel.Warning, "Login of user {UserId} to client {ClientId} failed in action {Action} ({ErrorType}); no code issued, the client gets server_error")]
    public static partial void LoginFailed(ILogger logger, string userId, string clientId, string action, string errorType, Exception? exception);

    [LoggerMessage(4011, LogLevel.Warning, "The redirect_uri of a failed login is no longer a callback URL of client {ClientId}; showing an error page instead of redirecting")]
    public static partial void FailureNotRedirected(ILogger logger, string clientId);
}
