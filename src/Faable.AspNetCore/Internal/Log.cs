using Microsoft.Extensions.Logging;

namespace Faable.AspNetCore.Internal;

/// <summary>Every log event of the package. Tokens, signatures and key material are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Warning, "Faable:RequireHttpsMetadata is false: discovery and keys of {Issuer} are fetched without TLS. Use this only for a local tenant.")]
    public static partial void HttpsMetadataDisabled(ILogger logger, string issuer);

    [LoggerMessage(1001, LogLevel.Information, "Bearer token rejected: {Reason}.")]
    public static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(1002, LogLevel.Information, "Signing keys of {Issuer} refreshed: {KeyCount} usable, {SkippedCount} skipped.")]
    public static partial void KeysRefreshed(ILogger logger, string issuer, int keyCount, int skippedCount);

    [LoggerMessage(1003, LogLevel.Warning, "Fetching the signing keys of {Issuer} failed ({Reason}); last-known-good keys stay in use.")]
    public static partial void KeysRefreshFailed(ILogger logger, string issuer, string reason, Exception? exception);

    [LoggerMessage(1004, LogLevel.Warning, "No usable signing keys for {Issuer}; answering 503, retry after {RetryAfterSeconds} s.")]
    public static partial void KeysUnavailable(ILogger logger, string issuer, int retryAfterSeconds);

    [LoggerMessage(1005, LogLevel.Warning, "JWKS key {Kid} skipped: {Why}.")]
    public static partial void KeySkipped(ILogger logger, string kid, string why);

    [LoggerMessage(1006, LogLevel.Debug, "Unknown kid; the key set was refreshed less than {CooldownSeconds} s ago, so no fetch is made.")]
    public static partial void RefreshSuppressed(ILogger logger, double cooldownSeconds);

    [LoggerMessage(1007, LogLevel.Information, "Access denied: the token lacks {Required} ({Reason}).")]
    public static partial void AccessDenied(ILogger logger, string required, string reason);
}
