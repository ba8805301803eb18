namespace Faable.Webhooks;

/// <summary>
/// Receives, raw, every delivery that no typed handler takes: event types this library does not know, known types
/// with no handler registered, and known types whose payload could not be read. Resolved from a scope per delivery.
/// </summary>
public interface IFaableWebhookFallbackHandler
{
    /// <summary>Handles the delivery. Throwing schedules a retry (with back-off), and after the last attempt a dead letter.</summary>
    /// <param name="delivery">The verified delivery.</param>
    /// <param name="cancellationToken">Cancelled when the handler timeout elapses or the host stops.</param>
    /// <returns>A task that completes when the delivery is handled.</returns>
    Task HandleAsync(FaableWebhookDelivery delivery, CancellationToken cancellationToken);
}
