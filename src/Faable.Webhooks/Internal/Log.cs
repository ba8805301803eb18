using Microsoft.Extensions.Logging;

namespace Faable.Webhooks.Internal;

/// <summary>Log messages of Faable.Webhooks (event ids 2000–2999). Secrets and signatures are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Warning, "Rejected a Faable webhook delivery: {Reason} (body {BodyLength} bytes, clock skew {ClockSkewMilliseconds} ms).")]
    public static partial void DeliveryRejected(ILogger logger, FaableWebhookFailureReason reason, int bodyLength, long? clockSkewMilliseconds);

    [LoggerMessage(2002, LogLevel.Warning, "Rejected a Faable webhook delivery larger than {MaxBodyBytes} bytes.")]
    public static partial void BodyTooLarge(ILogger logger, int maxBodyBytes);

    [LoggerMessage(2003, LogLevel.Information, "Accepted Faable webhook delivery {DeliveryId} ({EventType}) verified with secret '{SecretId}'.")]
    public static partial void DeliveryAccepted(ILogger logger, string deliveryId, string eventType, string? secretId);

    [LoggerMessage(2004, LogLevel.Information, "Acknowledged duplicate Faable webhook delivery {DeliveryId} ({EventType}) without dispatching it.")]
    public static partial void DuplicateDelivery(ILogger logger, string deliveryId, string eventType);

    [LoggerMessage(2005, LogLevel.Error, "The webhook inbox is unavailable; delivery {DeliveryId} was answered with 503.")]
    public static partial void InboxUnavailable(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(2006, LogLevel.Error, "The reloaded Faable webhook options are invalid, so the previous secrets stay in use: {Errors}")]
    public static partial void InvalidReload(ILogger logger, string errors);

    [LoggerMessage(2010, LogLevel.Information, "Dispatched Faable webhook delivery {DeliveryId} ({EventType}) on attempt {Attempt}.")]
    public static partial void Dispatched(ILogger logger, string deliveryId, string eventType, int attempt);

    [LoggerMessage(2011, LogLevel.Warning, "A handler failed for Faable webhook delivery {DeliveryId} ({EventType}) on attempt {Attempt}; retrying in {RetryDelayMilliseconds} ms.")]
    public static partial void HandlerFailed(ILogger logger, string deliveryId, string eventType, int attempt, long retryDelayMilliseconds, Exception exception);

    [LoggerMessage(2012, LogLevel.Error, "Faable webhook delivery {DeliveryId} ({EventType}) failed {Attempt} times and was dead-lettered.")]
    public static partial void DeadLettered(ILogger logger, string deliveryId, string eventType, int attempt, Exception exception);

    [LoggerMessage(2013, LogLevel.Warning, "No handler takes Faable webhook delivery {DeliveryId} ({EventType}); it was acknowledged and is now dropped. Register a handler, a fallback handler or a delivery observer, or declare the type with Ignore<TEvent>().")]
    public static partial void NoHandler(ILogger logger, string deliveryId, string eventType);

    [LoggerMessage(2014, LogLevel.Warning, "The payload of Faable webhook delivery {DeliveryId} could not be read as {EventType}; it goes to the fallback handler.")]
    public static partial void PayloadUnreadable(ILogger logger, string deliveryId, string eventType, Exception exception);

    [LoggerMessage(2015, LogLevel.Information, "Faable webhook delivery {DeliveryId} was given back to the inbox because the host is stopping.")]
    public static partial void Released(ILogger logger, string deliveryId);

    [LoggerMessage(2016, LogLevel.Error, "The Faable webhook dispatcher could not reach the inbox; retrying in {RetryDelayMilliseconds} ms.")]
    public static partial void DispatcherError(ILogger logger, long retryDelayMilliseconds, Exception exception);

    [LoggerMessage(2017, LogLevel.Information, "Dead-lettered Faable webhook delivery {DeliveryId} was queued again.")]
    public static partial void Replayed(ILogger logger, string deliveryId);

    [LoggerMessage(2018, LogLevel.Debug, "Faable webhook delivery {DeliveryId} ({EventType}) is of an ignored type; completed without a handler.")]
    public static partial void Ignored(ILogger logger, string deliveryId, string eventType);

    [LoggerMessage(2019, LogLevel.Warning, "The lease of Faable webhook delivery {DeliveryId} ({EventType}, attempt {Attempt}) was taken over by another instance while its handlers ran; they were cancelled, and the other instance settles the delivery.")]
    public static partial void LeaseLost(ILogger logger, string deliveryId, string eventType, int attempt);

    [LoggerMessage(2020, LogLevel.Warning, "Faable webhook delivery {DeliveryId} ({EventType}, attempt {Attempt}) was handled, but its lease had been taken over by another instance, which may handle it again; it was not completed here.")]
    public static partial void CompletedAfterLeaseLost(ILogger logger, string deliveryId, string eventType, int attempt);

    [LoggerMessage(2021, LogLevel.Warning, "A handler failed for Faable webhook delivery {DeliveryId} ({EventType}, attempt {Attempt}) after its lease had been taken over by another instance; that instance settles it.")]
    public static partial void FailedAfterLeaseLost(ILogger logger, string deliveryId, string eventType, int attempt, Exception exception);

    [LoggerMessage(2022, LogLevel.Warning, "The lease of Faable webhook delivery {DeliveryId} could not be renewed (the inbox is unreachable); retrying.")]
    public static partial void LeaseRenewalFailed(ILogger logger, string deliveryId, Exception exception);
}
