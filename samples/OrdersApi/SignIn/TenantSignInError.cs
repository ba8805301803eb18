using Microsoft.Extensions.Primitives;

namespace OrdersApi.SignIn;

/// <summary>
/// An error response the tenant sent to <c>/callback</c> instead of a code (RFC 6749 §4.1.2.1): what the page says and
/// which status it answers with. The description is the tenant's text, shown HTML-encoded.
/// </summary>
/// <param name="Title">The page heading.</param>
/// <param name="Message">The tenant's <c>error_description</c>, or a default text for the error code.</param>
/// <param name="ErrorCode">The <c>error</c> code as received, or <see langword="null"/> when malformed.</param>
/// <param name="StatusCode">
/// <c>403</c> for <c>access_denied</c> (the user was refused), <c>503</c> for <c>temporarily_unavailable</c>,
/// <c>400</c> for a malformed answer, <c>502</c> for the rest: the browser's request was fine, the tenant failed
/// (<c>server_error</c>) or refused this application's sign-in request (<c>invalid_request</c>, <c>invalid_scope</c>…).
/// </param>
public sealed record TenantSignInError(string Title, string Message, string? ErrorCode, int StatusCode)
{
    /// <summary>Longest <c>error_description</c> shown; longer ones are cut.</summary>
    public const int MaxDescriptionLength = 500;

    /// <summary>Reads the <c>error</c> and <c>error_description</c> query values.</summary>
    public static TenantSignInError From(StringValues error, StringValues description)
    {
        if (error.Count != 1 || error[0] is not { Length: > 0 and <= 100 } code || !code.All(IsErrorCodeChar))
        {
            return new TenantSignInError("Sign-in failed", "The tenant's answer has a malformed error code.", null, StatusCodes.Status400BadRequest);
        }

        var given = description.Count == 1 && description[0] is { Length: > 0 } text
            ? (text.Length > MaxDescriptionLength ? text[..MaxDescriptionLength] + "…" : text)
            : null;
        return code switch
        {
            "access_denied" => new("Sign-in refused", given ?? "The sign-in was refused.", code, StatusCodes.Status403Forbidden),
            "server_error" => new("Sign-in failed at the tenant", given ?? "The tenant failed while signing you in; no token was issued.", code, StatusCodes.Status502BadGateway),
            "temporarily_unavailable" => new("Sign-in temporarily unavailable", given ?? "The tenant cannot sign you in right now; try again later.", code, StatusCodes.Status503ServiceUnavailable),
            _ => new("Sign-in refused by the tenant", given ?? "The tenant refused this application's sign-in request.", code, StatusCodes.Status502BadGateway),
        };
    }

    // RFC 6749 §4.1.2.1: error is %x20-21 / %x23-5B / %x5D-7E.
    private static bool IsErrorCodeChar(char c) => c is >= ' ' and <= '~' and not '"' and not '\\';
}
