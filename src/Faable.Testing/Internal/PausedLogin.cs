namespace Faable.Testing.Internal;

/// <summary>A login paused by <c>sendUserTo</c>, waiting at <c>/continue</c> under its resume state.</summary>
internal sealed record PausedLogin(AuthorizationRequest Request, string UserId, string Connection, bool Signup);
