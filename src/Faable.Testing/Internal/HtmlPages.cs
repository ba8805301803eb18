using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>The tenant's HTML pages: the development login page, errors and denials. Every value is HTML-encoded.</summary>
internal static class HtmlPages
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d1d1f}" +
        "fieldset{border:1px solid #ccc;border-radius:8px;margin:1rem 0;padding:1rem}label{display:block;margin:.5rem 0}" +
        "input,select{width:100%;padding:.4rem;box-sizing:border-box}button{margin:.3rem 0;padding:.5rem 1rem;cursor:pointer}" +
        ".user{display:block;width:100%;text-align:left}.note{color:#666;font-size:.9rem}.error{color:#b00020}";

    public static IResult Login(string transactionId, FaableLocalClient client, IReadOnlyList<FaableLocalUser> users, IReadOnlyList<string> connections)
    {
        var e = HtmlEncoder.Default;
        var sb = new StringBuilder();
        sb.Append("<h1>Sign in to ").Append(e.Encode(DisplayName(client))).Append("</h1>");
        sb.Append("<p class=\"note\">Faable local tenant: a development sign-in page. No password is asked.</p>");
        if (users.Count > 0)
        {
            sb.Append("<form method=\"post\" action=\"login\"><fieldset><legend>Sign in as a known user</legend>");
            AppendTransaction(sb, transactionId);
            foreach (var user in users)
            {
                sb.Append("<button class=\"user\" type=\"submit\" name=\"user_id\" value=\"").Append(e.Encode(user.UserId))
                    .Append("\" id=\"user-").Append(e.Encode(user.UserId)).Append("\">")
                    .Append(e.Encode(user.Name ?? user.UserId)).Append(" &middot; ")
                    .Append(e.Encode(user.Email ?? "no email")).Append(" &middot; ").Append(e.Encode(user.Connection))
                    .Append("</button>");
            }

            sb.Append("</fieldset></form>");
        }

        sb.Append("<form method=\"post\" action=\"login\" id=\"login-form\"><fieldset><legend>Sign in or sign up</legend>");
        AppendTransaction(sb, transactionId);
        sb.Append("<label>Connection <select name=\"connection\" id=\"connection\">");
        foreach (var connection in connections)
        {
            sb.Append("<option value=\"").Append(e.Encode(connection)).Append("\">").Append(e.Encode(connection)).Append("</option>");
        }

        sb.Append("</select></label>");
        sb.Append("<label>Name <input name=\"name\" id=\"name\" autocomplete=\"off\"></label>");
        sb.Append("<label>Email (leave empty for a social login without a public email) <input name=\"email\" id=\"email\" type=\"email\" autocomplete=\"off\"></label>");
        sb.Append("<button type=\"submit\" id=\"sign-in\">Continue</button>");
        sb.Append("<p class=\"note\">An unknown name or email on this connection signs up a new user.</p>");
        sb.Append("</fieldset></form>");
        return Page("Sign in", sb.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Error(string title, string message, int statusCode = StatusCodes.Status400BadRequest)
    {
        var e = HtmlEncoder.Default;
        return Page(title, $"<h1>{e.Encode(title)}</h1><p class=\"error\" id=\"error\">{e.Encode(message)}</p>", statusCode);
    }

    public static IResult Denied(string reason)
    {
        var e = HtmlEncoder.Default;
        return Page(
            "Access denied",
            $"<h1>Access denied</h1><p class=\"error\" id=\"deny-reason\">{e.Encode(reason)}</p><p class=\"note\">The sign-in was refused; no token was issued.</p>",
            StatusCodes.Status401Unauthorized);
    }

    public static IResult SignedOut() =>
        Page("Signed out", "<h1>Signed out</h1><p>You are signed out of the local tenant.</p>", StatusCodes.Status200OK);

    private static string DisplayName(FaableLocalClient client) => client.Name.Length > 0 ? client.Name : client.ClientId;

    private static void AppendTransaction(StringBuilder sb, string transactionId) =>
        sb.Append("<input type=\"hidden\" name=\"transaction\" value=\"").Append(HtmlEncoder.Default.Encode(transactionId)).Append("\">");

    private static HtmlResult Page(string title, string body, int statusCode) =>
        new($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{HtmlEncoder.Default.Encode(title)} &middot; Faable local tenant</title><style>{Style}</style></head><body>{body}</body></html>", statusCode);

    private sealed class HtmlResult(string html, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            response.Headers.XContentTypeOptions = "nosniff";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
