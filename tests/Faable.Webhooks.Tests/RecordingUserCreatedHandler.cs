using Faable.Webhooks.Events;

namespace Faable.Webhooks.Tests;

internal sealed class RecordingUserCreatedHandler(DeliveryLog log, ScopeMarker scope) : IFaableWebhookHandler<UserCreated>
{
    public Task HandleAsync(UserCreated webhookEvent, CancellationToken cancellationToken)
    {
        log.Add($"created:{webhookEvent.Id}:{webhookEvent.User.UserId}:{webhookEvent.User.Email}:{scope.Id}");
        return Task.CompletedTask;
    }
}
