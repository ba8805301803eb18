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

    [LoggerMessage(1003, LogLevel.Warning, "Fetching the signing keys of {Issuer} failed ({Reason}; {FailureCount} failed fetches since the last success); the {KeyCount} keys fetched {KeyAgeSeconds} s ago stay in use.")]
    public static partial void KeysRefreshFailed(ILogger logger, string issuer, string reason, int failureCount, int keyCount, int keyAgeSeconds, Exception? exception);

    [LoggerMessage(1004, LogLevel.Warning, "No usable signing keys for {Issuer} (last failure: {Reason}); tokens are answered 503, retry after {RetryAfterSeconds} s.")]
    public static partial void KeysUnavailable(ILogger logger, string issuer, string reason, int retryAfterSeconds);

    [LoggerMessage(1005, LogLevel.Warning, "JWKS key {Kid} skipped: {Why}.")]
    public static partial void KeySkipped(ILogger logger, string kid, string why);

    [LoggerMessage(1006, LogLevel.Debug, "Unknown kid or no usable keys, and no fetch was made or it failed: the next one is not due yet (cool-down {CooldownSeconds} s with keys, about 1 s without).")]
    public static partial void RefreshSuppressed(ILogger logger, double cooldownSeconds);

    [LoggerMessage(1007, LogLevel.Information, "Access denied: the token lacks {Required} ({Reason}).")]
    public static partial void AccessDenied(ILogger logger, string required, string reason);

    [LoggerMessage(1008, LogLevel.Warning, "Fetching the signing keys of {Issuer} failed ({Reason}; {FailureCount} failed fetches since the last success) and {KeyState}: tokens are answered 503 until a fetch succeeds, retried about every second while requests arrive.")]
    public static partial void KeysRefreshFailedWithoutKeys(ILogger logger, string issuer, string reason, int failureCount, string keyState, Exception? exception);

    [LoggerMessage(1009, LogLevel.Information, "Signing keys of {Issuer} fetched again after {FailureCount} failed fetches over {OutageSeconds} s; tokens are checked again.")]
    public static partial void KeysRecovered(ILogger logger, string issuer, int failureCount, int outageSeconds);

    [LoggerMessage(1010, LogLevel.Warning, "A token names a key missing from the set fetched {KeyAgeSeconds} s ago and may be newer than that set ({Why}); it is answered 503, retry after {RetryAfterSeconds} s.")]
    public static partial void KeyUndecided(ILogger logger, int keyAgeSeconds, string why, int retryAfterSeconds);
}
