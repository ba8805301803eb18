namespace Faable.Webhooks;

/// <summary>The end of one dispatch attempt, as reported by <see cref="IFaableWebhookInbox.WaitForDispatchAsync"/>.</summary>
public sealed class FaableWebhookDispatchResult
{
    internal FaableWebhookDispatchResult(string deliveryId, string eventType, int attempt, FaableWebhookDispatchOutcome outcome, string? error)
    {
        DeliveryId = deliveryId;
        EventType = eventType;
        Attempt = attempt;
        Outcome = outcome;
        Error = error;
    }

    /// <summary>Gets the delivery id.</summary>
    public string DeliveryId { get; }

    /// <summary>Gets the event type.</summary>
    public string EventType { get; }

    /// <summary>Gets the attempt number, starting at 1.</summary>
    public int Attempt { get; }

    /// <summary>Gets how the attempt ended.</summary>
    public FaableWebhookDispatchOutcome Outcome { get; }

    /// <summary>Gets the handler's error (type and message) when the attempt failed.</summary>
    public string? Error { get; }

    /// <summary>Gets a value indicating whether the delivery is settled for good: handled, ignored, unhandled or dead-lettered.</summary>
    public bool IsFinal => Outcome is not (FaableWebhookDispatchOutcome.RetryScheduled or FaableWebhookDispatchOutcome.LeaseLost);

    /// <inheritdoc/>
    public override string ToString() => $"{DeliveryId} ({EventType}) attempt {Attempt}: {Outcome}" + (Error is null ? string.Empty : $" ({Error})");
}
