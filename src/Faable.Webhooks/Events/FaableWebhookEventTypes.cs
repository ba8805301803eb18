namespace Faable.Webhooks.Events;

/// <summary>The event types Faable sends, as they appear in <c>type</c> and <c>X-Faable-Event</c>.</summary>
public static class FaableWebhookEventTypes
{
    /// <summary>A user was created: <c>user.created</c>.</summary>
    public const string UserCreated = "user.created";

    /// <summary>A user was updated: <c>user.updated</c>.</summary>
    public const string UserUpdated = "user.updated";

    /// <summary>A user was deleted: <c>user.deleted</c>.</summary>
    public const string UserDeleted = "user.deleted";

    /// <summary>A user logged in: <c>auth.login</c>.</summary>
    public const string AuthLogin = "auth.login";
}
