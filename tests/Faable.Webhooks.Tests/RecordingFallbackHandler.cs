namespace Faable.Webhooks.Tests;

internal sealed class RecordingFallbackHandler(DeliveryLog log) : IFaableWebhookFallbackHandler
{
    public Task HandleAsync(FaableWebhookDelivery delivery, CancellationToken cancellationToken)
    {
        log.Add($"fallback:{delivery.EventType}:{delivery.DeliveryId}:{delivery.Attempt}:{delivery.BodyText}");
        return Task.CompletedTask;
    }
}
