using Faable.Webhooks.Events;

namespace Faable.Webhooks;

/// <summary>
/// Handles one typed Faable event. Resolved from a dependency-injection scope created for each delivery attempt.
/// Deliveries are handed over at least once: a handler that fails (or whose instance stops) sees the delivery again,
/// so handlers must be idempotent (for example, key writes by <see cref="FaableWebhookEvent.Id"/>).
/// </summary>
/// <typeparam name="TEvent">The event type, for example <see cref="UserCreated"/>.</typeparam>
public interface IFaableWebhookHandler<in TEvent>
    where TEvent : FaableWebhookEvent
{
    /// <summary>Handles the event. Throwing schedules a retry (with back-off), and after the last attempt a dead letter.</summary>
    /// <param name="webhookEvent">The event, read from the verified body.</param>
    /// <param name="cancellationToken">Cancelled when the handler timeout elapses or the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(TEvent webhookEvent, CancellationToken cancellationToken);
}
