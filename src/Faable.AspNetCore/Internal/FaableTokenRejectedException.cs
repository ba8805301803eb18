using Microsoft.IdentityModel.Tokens;

namespace Faable.AspNetCore.Internal;

/// <summary>Carries a validation outcome through JwtBearer's failure path to the challenge.</summary>
internal sealed class FaableTokenRejectedException : SecurityTokenValidationException
{
    public FaableTokenRejectedException(AuthError error, string? detail = null, TimeSpan? retryAfter = null)
        : base(error.Description)
    {
        Error = error;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    public FaableTokenRejectedException()
        : this(AuthErrors.Rejected)
    {
    }

    public FaableTokenRejectedException(string message)
        : this(AuthErrors.Rejected, message)
    {
    }

    public FaableTokenRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = AuthErrors.Rejected;
    }

    public AuthError Error { get; }

    /// <summary>Gets details shown only when error details are enabled (expected vs actual issuer or audience).</summary>
    public string? Detail { get; }

    public TimeSpan? RetryAfter { get; }
}
