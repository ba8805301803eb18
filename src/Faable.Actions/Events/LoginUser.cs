using System.Text.Json.Nodes;

namespace Faable.Actions.Events;

/// <summary><c>event.user</c>: the user who is signing in.</summary>
public sealed record LoginUser
{
    /// <summary>The user id (<c>user_…</c>), <c>event.user.user_id</c>.</summary>
    public required string UserId { get; init; }

    /// <summary><c>event.user.email</c>; <see langword="null"/> when the connection gave none (e.g. GitHub with a private email).</summary>
    public string? Email { get; init; }

    /// <summary><c>event.user.email_verified</c>.</summary>
    public bool EmailVerified { get; init; }

    /// <summary><c>event.user.name</c>.</summary>
    public string? Name { get; init; }

    /// <summary><c>event.user.nickname</c>.</summary>
    public string? Nickname { get; init; }

    /// <summary><c>event.user.given_name</c>.</summary>
    public string? GivenName { get; init; }

    /// <summary><c>event.user.family_name</c>.</summary>
    public string? FamilyName { get; init; }

    /// <summary><c>event.user.picture</c>.</summary>
    public string? Picture { get; init; }

    /// <summary><c>event.user.created_at</c>; also the base of <c>event.stats.account_age_ms</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>event.user.app_metadata</c>: data the application owns (never <see langword="null"/> in the script; an empty object when unset).</summary>
    public JsonObject? AppMetadata { get; init; }

    /// <summary><c>event.user.user_metadata</c>: data the user may edit (an empty object in the script when unset).</summary>
    public JsonObject? UserMetadata { get; init; }
}
