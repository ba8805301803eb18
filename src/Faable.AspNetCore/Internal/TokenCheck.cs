namespace Faable.AspNetCore.Internal;

/// <summary>The outcome of validating one bearer token: a token, or the catalog entry that rejected it.</summary>
internal readonly record struct TokenCheck(ValidatedToken? Token, AuthError? Error, string? Detail, TimeSpan? RetryAfter)
{
    public bool IsValid => Token is not null;

    public static TokenCheck Valid(ValidatedToken token) => new(token, null, null, null);

    public static TokenCheck Reject(AuthError error, string? detail = null, TimeSpan? retryAfter = null) => new(null, error, detail, retryAfter);
}
