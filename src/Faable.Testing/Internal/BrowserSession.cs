using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>
/// The browser session of a sign-in: a random, HttpOnly cookie set by <c>/authorize</c>. Login transactions and paused
/// flows are bound to it, so a link to <c>/login</c> or <c>/continue</c> cannot be finished in another browser.
/// </summary>
internal static class BrowserSession
{
    public const string CookieName = "faable_local_session";

    public static string Ensure(HttpContext context, string path)
    {
        if (Read(context) is { } existing)
        {
            return existing;
        }

        var id = Secrets.NewOpaque();
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = path,
            IsEssential = true,
        });
        return id;
    }

    public static string? Read(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var value) && value is { Length: 43 } ? value : null;
}
