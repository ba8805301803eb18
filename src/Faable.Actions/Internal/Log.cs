using Microsoft.Extensions.Logging;

namespace Faable.Actions.Internal;

/// <summary>Every log event of the package (ids 3000–3099). Resume states, secrets and redirect URLs carrying a state are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Debug, "Action '{ActionName}' ({Trigger}) completed for user {UserId} in {DurationMs} ms.")]
    public static partial void ActionCompleted(ILogger logger, string actionName, string trigger, string userId, double durationMs);

    [LoggerMessage(3001, LogLevel.Information, "Action '{ActionName}' ({Trigger}) denied user {UserId}; deny count {DenyCount}, blocked until {BlockedUntil}.")]
    public static partial void ActionDenied(ILogger logger, string actionName, string trigger, string userId, int denyCount, DateTimeOffset? blockedUntil);

    [LoggerMessage(3002, LogLevel.Information, "Action '{ActionName}' ({Trigger}) paused the login of user {UserId} with a redirect; the flow expires at {ExpiresAt}.")]
    public static partial void ActionRedirected(ILogger logger, string actionName, string trigger, string userId, DateTimeOffset expiresAt);

    [LoggerMessage(3003, LogLevel.Warning, "Action '{ActionName}' ({Trigger}) failed for user {UserId}; the login fails closed.")]
    public static partial void ActionFailed(ILogger logger, string actionName, string trigger, string userId, Exception exception);

    [LoggerMessage(3004, LogLevel.Warning, "Resume state rejected: {Reason}. No action ran.")]
    public static partial void ResumeStateRejected(ILogger logger, string reason);

    [LoggerMessage(3005, LogLevel.Information, "User {UserId} denied without running actions: action '{ActionName}' blocked them until {BlockedUntil}.")]
    public static partial void LoginBlocked(ILogger logger, string userId, string actionName, DateTimeOffset blockedUntil);

    [LoggerMessage(3006, LogLevel.Debug, "Actions engine ready: {PostLoginCount} post-login and {ContinueCount} continue actions enabled, {DisabledCount} disabled.")]
    public static partial void EngineCreated(ILogger logger, int postLoginCount, int continueCount, int disabledCount);

    [LoggerMessage(3007, LogLevel.Warning, "A paused flow could not be read back from the store; the resume state is treated as unknown.")]
    public static partial void PausedFlowUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(3008, LogLevel.Error, "The action flow store failed during {Operation} ({ErrorType}); the login fails closed and no token is issued.")]
    public static partial void FlowStoreFailed(ILogger logger, string operation, string errorType, Exception exception);

    [LoggerMessage(3009, LogLevel.Warning, "Action '{ActionName}' ({Trigger}) may not run as on Faable: {Warning}")]
    public static partial void ActionWarning(ILogger logger, string actionName, string trigger, string warning);
}
