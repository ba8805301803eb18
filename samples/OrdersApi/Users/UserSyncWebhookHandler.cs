using Faable.Webhooks;
using Faable.Webhooks.Events;

namespace OrdersApi.Users;

/// <summary>Keeps <see cref="UserDirectory"/> in sync with Faable's <c>user.*</c> webhooks.</summary>
public sealed partial class UserSyncWebhookHandler(UserDirectory users, ILogger<UserSyncWebhookHandler> logger) :
    IFaableWebhookHandler<UserCreated>,
    IFaableWebhookHandler<UserUpdated>,
    IFaableWebhookHandler<UserDeleted>
{
    /// <inheritdoc />
    public Task HandleAsync(UserCreated webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        Upsert(webhookEvent, webhookEvent.User);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task HandleAsync(UserUpdated webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        Upsert(webhookEvent, webhookEvent.User);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task HandleAsync(UserDeleted webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var applied = users.Remove(webhookEvent.User.UserId, webhookEvent.ProducedAt);
        LogChange(logger, webhookEvent.Type, webhookEvent.User.UserId, applied);
        return Task.CompletedTask;
    }

    private void Upsert(FaableWebhookEvent webhookEvent, FaableUser user)
    {
        var applied = users.Upsert(new AppUser(user.UserId, user.Email, user.EmailVerified, user.Name, webhookEvent.Type, webhookEvent.ProducedAt));
        LogChange(logger, webhookEvent.Type, user.UserId, applied);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Users table: {EventType} for {UserId} (applied: {Applied}).")]
    private static partial void LogChange(ILogger logger, string eventType, string userId, bool applied);
}
