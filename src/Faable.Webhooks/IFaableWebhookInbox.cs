namespace Faable.Webhooks;

/// <summary>
/// The durable inbox of verified deliveries: inspect and replay dead letters, read the backlog.
/// Registered by <c>AddFaableWebhooks</c>.
/// </summary>
public interface IFaableWebhookInbox
{
    /// <summary>Lists dead letters, newest first.</summary>
    /// <param name="maxCount">The most to return.</param>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The dead letters.</returns>
    Task<IReadOnlyList<FaableWebhookDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken);

    /// <summary>Moves a dead letter back into the inbox with a fresh attempt count, to be dispatched again.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> if the dead letter existed and was queued.</returns>
    Task<bool> ReplayAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>Deletes a dead letter for good.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> if the dead letter existed.</returns>
    Task<bool> DeleteDeadLetterAsync(string deliveryId, CancellationToken cancellationToken);

    /// <summary>Counts deliveries accepted but not yet handled (queued, waiting for a retry, or being dispatched).</summary>
    /// <param name="cancellationToken">A token to cancel the read.</param>
    /// <returns>The count.</returns>
    Task<long> GetBacklogAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits until this instance's dispatcher ends its next attempt at the delivery (handled, ignored, unhandled, a retry
    /// scheduled, dead-lettered, or its lease lost), for tests that must see a handler's effect. Start waiting before the
    /// delivery is sent: an attempt that ended earlier is not reported. Another instance's dispatch is not seen.
    /// </summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">A token to stop waiting (give it a timeout).</param>
    /// <returns>How the attempt ended.</returns>
    Task<FaableWebhookDispatchResult> WaitForDispatchAsync(string deliveryId, CancellationToken cancellationToken);
}
