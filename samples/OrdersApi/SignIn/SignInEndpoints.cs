using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using OrdersApi.Orders;

namespace OrdersApi.SignIn;

/// <summary>
/// The browser side of the sample: the home page, the start of a sign-in (authorization code + PKCE), the callback
/// that exchanges the code and calls <c>GET /orders</c>, and the profile page the post-login action sends users to.
/// </summary>
public static partial class SignInEndpoints
{
    /// <summary>The name of the <see cref="HttpClient"/> that talks to the tenant and to this API.</summary>
    public const string HttpClientName = "OrdersApi.SignIn";

    private const string BindingCookie = "orders_signin";

    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints, bool embeddedTenant)
    {
        endpoints.MapGet("/", (SignInSettings settings) => Pages.Home(settings, embeddedTenant)).ExcludeFromDescription();
        endpoints.MapGet("/signin", StartSignIn).ExcludeFromDescription();
        endpoints.MapGet("/callback", CallbackAsync).ExcludeFromDescription();
        endpoints.MapGet("/profile", ShowProfile).ExcludeFromDescription();
        endpoints.MapPost("/profile", SaveProfileAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static IResult StartSignIn(HttpContext context, SignInSettings settings, SignInTransactions transactions)
    {
        if (!settings.IsConfigured)
        {
            return Pages.Error("Sign-in is not configured", "Set OrdersApi:SignIn:ClientId and OrdersApi:SignIn:ClientSecret.", StatusCodes.Status503ServiceUnavailable);
        }

        // The binding cookie ties the callback to the browser that started the sign-in (login CSRF, RFC 6749 §10.12).
        var binding = context.Request.Cookies[BindingCookie];
        if (binding is not { Length: 43 })
        {
            binding = Pkce.NewRandomValue();
            context.Response.Cookies.Append(BindingCookie, binding, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                Path = "/",
                MaxAge = SignInTransactions.Lifetime,
            });
        }

        var state = Pkce.NewRandomValue();
        var verifier = Pkce.NewRandomValue();
        var nonce = Pkce.NewRandomValue();
        transactions.Add(state, verifier, nonce, binding);

        var url = QueryHelpers.AddQueryString(settings.Authority + "/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = settings.CallbackUrl,
            ["scope"] = settings.Scope,
            ["audience"] = settings.Audience,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = Pkce.ChallengeOf(verifier),
            ["code_challenge_method"] = "S256",
        });
        return Results.Redirect(url);
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext context,
        SignInSettings settings,
        SignInTransactions transactions,
        IHttpClientFactory httpClients,
        ILoggerFactory loggers)
    {
        var query = context.Request.Query;
        if (query["state"].Count != 1 || string.IsNullOrEmpty(query["state"][0]))
        {
            return Pages.Error("Sign-in failed", "The response has no state (or more than one).", StatusCodes.Status400BadRequest);
        }

        var transaction = transactions.TryTake(query["state"][0]!);
        if (transaction is null)
        {
            return Pages.Error("Sign-in failed", "This sign-in is unknown, expired or already finished. Start again from the home page.", StatusCodes.Status400BadRequest);
        }

        var binding = context.Request.Cookies[BindingCookie];
        if (binding is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(binding), Encoding.ASCII.GetBytes(transaction.BrowserBinding)))
        {
            return Pages.Error("Sign-in failed", "This sign-in was started in another browser. Start again from the home page.", StatusCodes.Status400BadRequest);
        }

        var logger = loggers.CreateLogger(typeof(SignInEndpoints));

        // An error response (RFC 6749 §4.1.2.1) ends the sign-in here: nothing is redeemed, even if a code came along.
        if (query["error"].Count > 0)
        {
            var failure = TenantSignInError.From(query["error"], query["error_description"]);
            LogTenantError(logger, failure.ErrorCode ?? "(malformed)", failure.Message);
            return Pages.SignInError(failure);
        }

        if (query["code"].Count != 1 || string.IsNullOrEmpty(query["code"][0]))
        {
            return Pages.Error("Sign-in failed", "The response has no authorization code.", StatusCodes.Status400BadRequest);
        }

        var http = httpClients.CreateClient(HttpClientName);
        var tokens = await ExchangeCodeAsync(http, settings, query["code"][0]!, transaction.CodeVerifier, context.RequestAborted);
        if (tokens.Error is not null)
        {
            LogExchangeFailed(logger, tokens.Error);
            return Pages.Error("Sign-in failed", "The tenant did not issue tokens: " + tokens.Error, StatusCodes.Status502BadGateway);
        }

        var identity = ReadIdToken(tokens.IdToken, settings, transaction.Nonce);
        if (identity.Error is not null)
        {
            return Pages.Error("Sign-in failed", identity.Error, StatusCodes.Status400BadRequest);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, settings.PublicOrigin + "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var response = await http.SendAsync(request, context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(context.RequestAborted);
            return Pages.Error("Orders unavailable", $"GET /orders answered {(int)response.StatusCode}: {body}", StatusCodes.Status502BadGateway);
        }

        var orders = await response.Content.ReadFromJsonAsync<List<Order>>(context.RequestAborted) ?? [];
        var signup = query["signup"].Count == 1 && query["signup"][0] == "true";
        return Pages.Orders(identity.Name ?? identity.Subject!, identity.Email, signup, orders);
    }

    private static IResult ShowProfile(HttpContext context)
    {
        var state = context.Request.Query["state"];
        if (state.Count != 1 || string.IsNullOrEmpty(state[0]))
        {
            return Pages.Error("Nothing to complete", "This page is opened by the sign-in flow; start from the home page.", StatusCodes.Status400BadRequest);
        }

        return Pages.Profile(state[0]!, error: null, email: null);
    }

    private static async Task<IResult> SaveProfileAsync(HttpContext context, ProfileCompletion profiles)
    {
        if (!context.Request.HasFormContentType)
        {
            return Pages.Error("Invalid request", "The profile form must be posted as a form.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["state"].Count != 1 || string.IsNullOrEmpty(form["state"][0]))
        {
            return Pages.Error("Nothing to complete", "This form belongs to a sign-in; start from the home page.", StatusCodes.Status400BadRequest);
        }

        var state = form["state"][0]!;
        var email = form["email"].Count == 1 ? form["email"][0]?.Trim() : null;
        if (!string.IsNullOrEmpty(email) && !ProfileCompletion.LooksLikeEmail(email))
        {
            return Pages.Profile(state, "Enter an email address such as ada@example.com.", email);
        }

        var result = await profiles.CompleteAsync(state, string.IsNullOrEmpty(email) ? null : email, context.RequestAborted);
        return result.Error is null
            ? Results.Redirect(result.ContinueUrl!)
            : Pages.Error("Profile not saved", result.Error, StatusCodes.Status502BadGateway);
    }

    private static async Task<TokenResult> ExchangeCodeAsync(HttpClient http, SignInSettings settings, string code, string verifier, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Authority + "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = settings.CallbackUrl,
                ["code_verifier"] = verifier,
                ["client_id"] = settings.ClientId!,
                ["client_secret"] = settings.ClientSecret!,
            }),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        if (!response.IsSuccessStatusCode)
        {
            var error = root.TryGetProperty("error_description", out var d) ? d.GetString() : root.TryGetProperty("error", out var e) ? e.GetString() : null;
            return new TokenResult(null, null, $"{(int)response.StatusCode} {error}");
        }

        var accessToken = root.TryGetProperty("access_token", out var at) ? at.GetString() : null;
        var idToken = root.TryGetProperty("id_token", out var it) ? it.GetString() : null;
        return accessToken is null ? new TokenResult(null, null, "the response has no access_token") : new TokenResult(accessToken, idToken, null);
    }

    // The ID token comes straight from the token endpoint over the back channel, so its signature may be taken on
    // trust (OpenID Connect Core §3.1.3.7, item 6); issuer, audience and nonce are still checked.
    private static IdentityResult ReadIdToken(string? idToken, SignInSettings settings, string expectedNonce)
    {
        if (idToken is null)
        {
            return new IdentityResult(null, null, null, "The tenant returned no ID token.");
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            return new IdentityResult(null, null, null, "The ID token is malformed.");
        }

        string? Claim(string name) => token.TryGetPayloadValue<string>(name, out var value) ? value : null;
        if (!string.Equals(token.Issuer, settings.Authority, StringComparison.Ordinal))
        {
            return new IdentityResult(null, null, null, "The ID token comes from another issuer.");
        }

        if (!token.Audiences.Contains(settings.ClientId, StringComparer.Ordinal))
        {
            return new IdentityResult(null, null, null, "The ID token was issued to another application.");
        }

        var nonce = Claim("nonce");
        if (nonce is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(nonce), Encoding.UTF8.GetBytes(expectedNonce)))
        {
            return new IdentityResult(null, null, null, "The ID token's nonce does not match this sign-in.");
        }

        return new IdentityResult(token.Subject, Claim("name"), Claim("email"), null);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Code exchange failed: {Error}")]
    private static partial void LogExchangeFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "The tenant ended the sign-in with {Error}: {Description}")]
    private static partial void LogTenantError(ILogger logger, string error, string description);

    private sealed record TokenResult(string? AccessToken, string? IdToken, string? Error);

    private sealed record IdentityResult(string? Subject, string? Name, string? Email, string? Error);
}
