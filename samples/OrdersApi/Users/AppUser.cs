namespace OrdersApi.Users;

/// <summary>A user as the orders service knows it, kept in sync by Faable's webhooks.</summary>
/// <param name="UserId">Faable's user id.</param>
/// <param name="Email">The email, when Faable has one.</param>
/// <param name="EmailVerified">Whether Faable reports the email as verified.</param>
/// <param name="Name">The display name.</param>
/// <param name="LastEvent">The last event applied (<c>user.created</c> or <c>user.updated</c>).</param>
/// <param name="LastEventAt">When Faable produced that event.</param>
public sealed record AppUser(string UserId, string? Email, bool? EmailVerified, string? Name, string LastEvent, DateTimeOffset LastEventAt);
