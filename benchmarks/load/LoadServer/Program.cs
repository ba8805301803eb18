using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

// The server the load script drives: one mode per process, so each measurement pays only for what it uses.
//   open       GET /hello with no authentication at all
//   faable     AddFaableAuth + UseFaableAuth; GET /hello requires scope read:orders; GET /open has no requirement
//   jwtbearer  plain AddJwtBearer with the key configured statically; GET /hello requires an authenticated user; GET /open as above
//   floor      an authentication handler that does no token work at all (any bearer header is a fixed user with
//              scope read:orders) behind UseAuthentication/UseAuthorization: what ASP.NET's own pipeline costs, the
//              least any token library can add; GET /hello requires scope read:orders through a plain claim policy
//   webhooks   MapFaableWebhooks at POST /hooks with the Redis inbox and a fallback handler that waits HANDLER_MS
//              (default 0) per delivery; MaxConcurrentDispatches from DISPATCHES (default 1); GET /stats reports how
//              many deliveries the handler has seen
//   bare       POST /hooks reads the body and answers 202: the least a webhook receiver can do
// Usage: LoadServer <mode> <port> <token-file>
//        (webhooks: FAABLE_REDIS=127.0.0.1:port, WEBHOOK_SECRET, HANDLER_MS, DISPATCHES in the environment)
//   sign <count> <out-file>        not a server: writes <count> deliveries, each with its own id and signature, for wrk (sign.lua)
// The outage run (outage.sh) uses four more commands, see Outage.cs:
//   keygen <dir> <kid>...          write RSA-2048 private keys <dir>/<kid>.pem
//   tenant <port> <dir> <kid>...   serve discovery and a JWKS of those keys over HTTP, logging each fetch
//   mint <issuer> <dir> <kid> <count> <file>   write <count> distinct access tokens signed by <kid>
//   faable-http <port> <issuer>    the faable server, fetching discovery and keys from <issuer> over HTTP
if (args is ["sign", var countText, var outFile])
{
    WebhookLoad.WriteSignedDeliveries(int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture), outFile);
    return;
}

if (args.Length > 0 && Outage.Commands.Contains(args[0]))
{
    await Outage.RunAsync(args);
    return;
}

var mode = args.Length > 0 ? args[0] : "open";
var port = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5099;
var tokenFile = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "faable-load-token.txt");

const string Issuer = "https://load.auth.faable.link";
const string Audience = "https://orders.example.com";
const string Kid = "load-key";
using var key = RSA.Create(2048);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

switch (mode)
{
    case "faable":
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = Issuer;
            o.Audience = Audience;
            o.BackchannelHttpHandler = new InMemoryJwks(key, Issuer, Kid);
        });
        break;
    case "jwtbearer":
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = new RsaSecurityKey(key.ExportParameters(false)) { KeyId = Kid },
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            };
        });
        builder.Services.AddAuthorization();
        break;
    case "floor":
        builder.Services.AddAuthentication("floor").AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, FloorHandler>("floor", null);
        builder.Services.AddAuthorization();
        break;
    case "open":
    case "bare":
        break;
    case "webhooks":
        WebhookLoad.AddServices(builder.Services);
        break;
    default:
        throw new ArgumentException($"Unknown mode '{mode}'; use open, faable, jwtbearer, floor, webhooks, bare or sign.");
}

var app = builder.Build();
if (mode == "faable")
{
    app.UseFaableAuth();
    app.MapGet("/hello", () => "hello").RequireScope("read:orders");
    app.MapGet("/open", () => "hello");
}
else if (mode == "floor")
{
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapGet("/hello", () => "hello").RequireAuthorization(p => p.RequireClaim("scope", "read:orders"));
    app.MapGet("/hello-scheme", () => "hello").RequireAuthorization(p => p.AddAuthenticationSchemes("floor").RequireClaim("scope", "read:orders"));
    app.MapGet("/open", () => "hello");
}
else if (mode == "jwtbearer")
{
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapGet("/hello", () => "hello").RequireAuthorization();
    app.MapGet("/open", () => "hello");
}
else if (mode == "webhooks")
{
    WebhookLoad.MapEndpoints(app);
}
else if (mode == "bare")
{
    WebhookLoad.MapBare(app);
}
else
{
    app.MapGet("/hello", () => "hello");
    app.MapGet("/open", () => "hello");
}

app.MapGet("/ready", () => "ready");
File.WriteAllText(tokenFile, CreateToken(key, Issuer, Audience, Kid));
await app.RunAsync();

static string CreateToken(RSA key, string issuer, string audience, string kid)
{
    var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
    var header = JsonSerializer.Serialize(new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = kid });
    var payload = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["sub"] = "user_66f1a2b3c4d5e6f7a8b9c0d1",
        ["scope"] = "openid profile email read:orders",
        ["client_id"] = "AbC123xYz",
        ["aud"] = audience,
        ["iss"] = issuer,
        ["iat"] = now,
        ["exp"] = now + 86400,
    });
    var input = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
    return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
}

static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

/// <summary>Serves discovery and JWKS from memory so the load test never leaves the machine.</summary>
internal sealed class InMemoryJwks(RSA key, string issuer, string kid) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var p = key.ExportParameters(false);
        object body = request.RequestUri!.AbsolutePath.EndsWith("openid-configuration", StringComparison.Ordinal)
            ? new { issuer, jwks_uri = issuer + "/.well-known/jwks.json" }
            : new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid, n = System.Buffers.Text.Base64Url.EncodeToString(p.Modulus!), e = System.Buffers.Text.Base64Url.EncodeToString(p.Exponent!) } } };
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") });
    }
}

/// <summary>Accepts any bearer header as one fixed user, building a fresh principal per request as a real handler must.</summary>
internal sealed class FloorHandler(
    Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    System.Text.Encodings.Web.UrlEncoder encoder)
    : Microsoft.AspNetCore.Authentication.AuthenticationHandler<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(Microsoft.AspNetCore.Authentication.AuthenticateResult.NoResult());
        }

        var identity = new System.Security.Claims.ClaimsIdentity(
            [new("sub", "user_66f1a2b3c4d5e6f7a8b9c0d1"), new("scope", "read:orders")], Scheme.Name, "sub", "roles");
        var ticket = new Microsoft.AspNetCore.Authentication.AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), Scheme.Name);
        return Task.FromResult(Microsoft.AspNetCore.Authentication.AuthenticateResult.Success(ticket));
    }
}
