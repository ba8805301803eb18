using System.Net.Mail;
using Microsoft.AspNetCore.WebUtilities;

namespace OrdersApi.SignIn;

/// <summary>
/// Hands what the profile page collected back to the tenant and builds the URL that resumes the paused sign-in at
/// its <c>/continue</c> endpoint. The local tenant takes profile fields (<c>email</c>, <c>name</c>) as parameters
/// of <c>/continue</c>, saves them on the user, sends <c>user.updated</c>, and only then runs the continue actions,
/// which see the new value.
/// </summary>
public sealed class ProfileCompletion(SignInSettings settings)
{
    /// <summary>The result: where to send the browser next, or why not.</summary>
    public sealed record Result(string? ContinueUrl, string? Error);

    /// <summary>Whether <paramref name="value"/> is a plausible single email address.</summary>
    public static bool LooksLikeEmail(string value) =>
        value.Length <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);

    /// <summary>Returns the <c>/continue</c> URL of the paused sign-in, carrying the email when one was given.</summary>
    public Task<Result> CompleteAsync(string state, string? email, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string?> { ["state"] = state };
        if (email is not null)
        {
            query["email"] = email;
        }

        return Task.FromResult(new Result(QueryHelpers.AddQueryString(settings.Authority + "/continue", query), null));
    }
}
