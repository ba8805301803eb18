namespace Faable.Webhooks.Internal;

/// <summary>
/// Where verified deliveries wait: atomic de-duplication plus a queue with claims (leases), delayed retries and
/// dead letters.
/// </summary>
internal interface IWebhookInboxStore
{
    /// <summary>Atomically remembers the delivery id for the window and queues the record; false when the id was seen.</summary>
    Task<bool> TryAcceptAsync(InboxRecord record, TimeSpan deduplicationWindow, CancellationToken cancellationToken);

    /// <summary>Claims the next delivery that is due (including retries due and deliveries whose lease expired).</summary>
    Task<InboxLease?> TryClaimAsync(TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Extends a claim while its handlers run (the heartbeat); false when the lease is no longer this claim's.</summary>
    Task<bool> RenewAsync(InboxLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Removes a handled delivery; false when the lease had been taken over (the delivery stays with its new holder).</summary>
    Task<bool> CompleteAsync(InboxLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="CompleteAsync"/>, then <see cref="TryClaimAsync"/>: a dispatcher that keeps finding work needs one
    /// step per delivery instead of two. A store that can do both at once (Redis: one script) overrides this.
    /// </summary>
    async Task<(bool Completed, InboxLease? Next)> CompleteAndClaimAsync(InboxLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var completed = await CompleteAsync(lease, cancellationToken).ConfigureAwait(false);
        return (completed, await TryClaimAsync(leaseDuration, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Schedules another attempt; false when the lease had been taken over.</summary>
    Task<bool> ScheduleRetryAsync(InboxLease lease, DateTimeOffset dueAt, string error, CancellationToken cancellationToken);

    /// <summary>Moves the delivery to the dead letters; false when the lease had been taken over.</summary>
    Task<bool> DeadLetterAsync(InboxLease lease, string error, CancellationToken cancellationToken);

    /// <summary>Gives a claimed delivery back without counting the attempt (the instance is stopping).</summary>
    Task ReleaseAsync(InboxLease lease, CancellationToken cancellationToken);

    Task<IReadOnlyList<FaableWebhookDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken);

    Task<bool> ReplayAsync(string deliveryId, CancellationToken cancellationToken);

    Task<bool> DeleteDeadLetterAsync(string deliveryId, CancellationToken cancellationToken);

    Task<long> GetBacklogAsync(CancellationToken cancellationToken);

    /// <summary>Waits until work may be available or <paramref name="maxWait"/> elapses.</summary>
    Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken cancellationToken);
}
