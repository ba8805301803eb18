namespace Faable.Testing.Internal;

/// <summary>A validated <c>/authorize</c> request waiting for the user to sign in.</summary>
internal sealed record AuthorizationRequest(
    string ClientId,
    string RedirectUri,
    string State,
    string Nonce,
    string CodeChallenge,
    IReadOnlyList<string> Scopes,
    string? Audience,
    string SessionId);
