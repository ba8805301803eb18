namespace Faable.Webhooks;

/// <summary>
/// Sees every verified delivery, raw, whatever typed or fallback handlers exist: for auditing and archiving.
/// Resolved from the delivery's scope and called before the handlers, on every attempt
/// (<see cref="FaableWebhookDelivery.Attempt"/>).
/// </summary>
public interface IFaableWebhookDeliveryObserver
{
    /// <summary>Observes the delivery. Throwing fails the attempt like a handler's exception (retry, then dead letter), so an archive misses nothing.</summary>
    /// <param name="delivery">The verified delivery.</param>
    /// <param name="cancellationToken">Cancelled when the handler timeout elapses, the lease is lost or the host stops.</param>
    /// <returns>A task that completes when the delivery is observed.</returns>
    Task OnDeliveryAsync(FaableWebhookDelivery delivery, CancellationToken cancellationToken);
}
