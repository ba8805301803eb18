namespace Faable.Webhooks;

/// <summary>How one attempt to dispatch a delivery ended.</summary>
public enum FaableWebhookDispatchOutcome
{
    /// <summary>A typed or fallback handler (or a delivery observer) took the delivery, and it is done.</summary>
    Handled = 0,

    /// <summary>The event type was registered with <c>Ignore&lt;TEvent&gt;()</c>; the delivery is done.</summary>
    Ignored,

    /// <summary>Nothing took the delivery (no handler, fallback handler or observer); it is done, and a warning was logged.</summary>
    Unhandled,

    /// <summary>A handler failed; the delivery waits for another attempt.</summary>
    RetryScheduled,

    /// <summary>The delivery failed its last attempt (or its payload cannot be read) and was dead-lettered.</summary>
    DeadLettered,

    /// <summary>Another instance took over the delivery's lease while this one was handling it; that instance settles it.</summary>
    LeaseLost,
}
