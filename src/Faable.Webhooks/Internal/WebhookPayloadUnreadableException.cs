namespace Faable.Webhooks.Internal;

/// <summary>A known event's payload cannot be read and nothing takes it raw: retrying cannot help, so it is dead-lettered at once.</summary>
internal sealed class WebhookPayloadUnreadableException : Exception
{
    public WebhookPayloadUnreadableException()
    {
    }

    public WebhookPayloadUnreadableException(string message)
        : base(message)
    {
    }

    public WebhookPayloadUnreadableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
