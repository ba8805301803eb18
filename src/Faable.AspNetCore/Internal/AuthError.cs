namespace Faable.AspNetCore.Internal;

/// <summary>One client-facing answer: HTTP status, RFC 6750 <c>error</c>, stable reason code and description.</summary>
internal sealed class AuthError(int status, string error, string reason, string description)
{
    public int Status { get; } = status;

    /// <summary>Gets the RFC 6750 §3.1 error code (or <c>missing_token</c>, which the header omits).</summary>
    public string Error { get; } = error;

    /// <summary>Gets the stable reason code, also used as the <c>error.type</c> metric tag.</summary>
    public string Reason { get; } = reason;

    /// <summary>Gets the description: plain ASCII without quotes, safe for the <c>WWW-Authenticate</c> header.</summary>
    public string Description { get; } = description;

    public override string ToString() => Reason;
}
