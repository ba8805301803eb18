namespace Faable.Testing.Internal;

/// <summary>What an authorization code stands for, bound to its client, redirect URI and PKCE challenge.</summary>
internal sealed record AuthorizationCodeGrant(AuthorizationRequest Request, string UserId, DateTimeOffset AuthTime);
