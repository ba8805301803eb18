using Faable.Webhooks;
using Faable.Webhooks.Events;

namespace Orders;

/// <summary>Removes a deleted user from the store; the README's example of a handler unit-tested without an endpoint.</summary>
/// <param name="users">The application's users.</param>
public sealed class UserRemovalWebhookHandler(UserStore users) : IFaableWebhookHandler<UserDeleted>
{
    /// <inheritdoc />
    public Task HandleAsync(UserDeleted webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        return users.DeleteAsync(webhookEvent.User.UserId, cancellationToken);
    }
}
