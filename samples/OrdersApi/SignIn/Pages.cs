using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using OrdersApi.Orders;

namespace OrdersApi.SignIn;

/// <summary>The sample's HTML pages. Every value written into a page is HTML-encoded.</summary>
public static class Pages
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2.5rem auto;padding:0 1rem;color:#1d1d1f}" +
        "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}" +
        ".button,button{display:inline-block;padding:.55rem 1.1rem;border-radius:6px;border:0;background:#2f54eb;color:#fff;text-decoration:none;cursor:pointer}" +
        "input{padding:.4rem;width:100%;box-sizing:border-box}.note{color:#666;font-size:.9rem}.error{color:#b00020}" +
        ".badge{background:#e6f4ea;color:#137333;padding:.1rem .5rem;border-radius:4px}code{background:#f4f4f4;padding:.1rem .3rem}";

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>The home page with the sign-in button.</summary>
    public static IResult Home(SignInSettings settings, bool embeddedTenant)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>Orders</h1><p>A small orders service protected by Faable Auth.</p>");
        if (settings.IsConfigured)
        {
            sb.Append("<p><a class=\"button\" id=\"sign-in\" href=\"/signin\">Sign in</a></p>");
        }
        else
        {
            sb.Append("<p class=\"error\" id=\"sign-in-unavailable\">Sign-in is not configured: set OrdersApi:SignIn:ClientId and OrdersApi:SignIn:ClientSecret.</p>");
        }

        sb.Append("<p class=\"note\">Tenant: <code>").Append(Encoder.Encode(settings.Authority)).Append("</code>");
        if (embeddedTenant)
        {
            sb.Append(" (the local tenant hosted by this application in Development)");
        }

        sb.Append("</p>");
        return Page("Orders", sb.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>The page shown after a successful sign-in: who signed in and the orders the API returned.</summary>
    public static IResult Orders(string who, string? email, bool signup, IReadOnlyList<Order> orders)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>Your orders</h1><p id=\"signed-in-as\">Signed in as <strong>").Append(Encoder.Encode(who)).Append("</strong>");
        if (email is not null)
        {
            sb.Append(" &lt;<span id=\"email\">").Append(Encoder.Encode(email)).Append("</span>&gt;");
        }

        if (signup)
        {
            sb.Append(" <span class=\"badge\" id=\"signup\">signup</span>");
        }

        sb.Append("</p><table id=\"orders\"><thead><tr><th>Order</th><th>Customer</th><th>Status</th><th>Total</th></tr></thead><tbody>");
        foreach (var order in orders)
        {
            sb.Append("<tr class=\"order\"><td>").Append(Encoder.Encode(order.Id))
                .Append("</td><td>").Append(Encoder.Encode(order.Customer))
                .Append("</td><td>").Append(Encoder.Encode(order.Status))
                .Append("</td><td>").Append(order.Total.ToString("0.00", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        sb.Append("</tbody></table><p><a href=\"/\">Home</a></p>");
        return Page("Your orders", sb.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>The profile page: asks for the email the identity provider did not share.</summary>
    public static IResult Profile(string state, string? error, string? email)
    {
        var sb = new StringBuilder();
        sb.Append("<h1>One more step</h1><p>Your account has no email address. Orders sends receipts and shipping updates by email.</p>");
        if (error is not null)
        {
            sb.Append("<p class=\"error\" id=\"profile-error\">").Append(Encoder.Encode(error)).Append("</p>");
        }

        sb.Append("<form method=\"post\" action=\"/profile\" id=\"profile-form\">")
            .Append("<input type=\"hidden\" name=\"state\" value=\"").Append(Encoder.Encode(state)).Append("\">")
            .Append("<label>Email <input name=\"email\" id=\"email\" type=\"text\" inputmode=\"email\" autocomplete=\"email\" value=\"")
            .Append(Encoder.Encode(email ?? string.Empty)).Append("\"></label>")
            .Append("<p><button type=\"submit\" id=\"save-email\">Continue</button></p></form>");
        return Page("Complete your profile", sb.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>An error page; <paramref name="id"/> names the element holding the message.</summary>
    public static IResult Error(string title, string message, int statusCode, string id = "error")
    {
        var body = $"<h1>{Encoder.Encode(title)}</h1><p class=\"error\" id=\"{Encoder.Encode(id)}\">{Encoder.Encode(message)}</p><p><a href=\"/\">Home</a></p>";
        return Page(title, body, statusCode);
    }

    /// <summary>The callback's page for an error the tenant returned instead of a code.</summary>
    public static IResult SignInError(TenantSignInError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var sb = new StringBuilder();
        sb.Append("<h1>").Append(Encoder.Encode(error.Title)).Append("</h1>")
            .Append("<p class=\"error\" id=\"error-description\">").Append(Encoder.Encode(error.Message)).Append("</p>");
        if (error.ErrorCode is not null)
        {
            sb.Append("<p class=\"note\">Error code from the tenant: <code id=\"error-code\">").Append(Encoder.Encode(error.ErrorCode)).Append("</code></p>");
        }

        sb.Append("<p><a class=\"button\" href=\"/signin\">Try again</a> <a href=\"/\">Home</a></p>");
        return Page(error.Title, sb.ToString(), error.StatusCode);
    }

    private static HtmlResult Page(string title, string body, int statusCode)
    {
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Encoder.Encode(title)} · Orders</title><style>{Style}</style></head><body>{body}</body></html>";
        return new HtmlResult(html, statusCode);
    }

    private sealed class HtmlResult(string html, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
