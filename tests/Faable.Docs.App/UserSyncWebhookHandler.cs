// <snippet:webhooks-handler>
using Faable.Webhooks;
using Faable.Webhooks.Events;

namespace Orders;

public sealed class UserSyncWebhookHandler(UserStore users) : IFaableWebhookHandler<UserCreated>
{
    public Task HandleAsync(UserCreated webhookEvent, CancellationToken cancellationToken) =>
        users.UpsertAsync(webhookEvent.User.UserId, webhookEvent.User.Email, cancellationToken);
}
// </snippet:webhooks-handler>
