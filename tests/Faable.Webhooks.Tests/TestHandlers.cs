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

internal sealed class RecordingFallbackHandler(DeliveryLog log) : IFaableWebhookFallbackHandler
{
    public Task HandleAsync(FaableWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        log.Add($"fallback:{delivery.EventType}:{delivery.DeliveryId}:{delivery.Attempt}:{delivery.BodyText}");
        return Task.CompletedTask;
    }
}

/// <summary>A scoped service: a new id per DI scope.</summary>
internal sealed class ScopeMarker
{
    public Guid Id { get; } = Guid.NewGuid();
}
