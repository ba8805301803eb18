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
// Usage: LoadServer <mode> <port> <token-file>
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
    case "open":
        break;
    default:
        throw new ArgumentException($"Unknown mode '{mode}'; use open, faable or jwtbearer.");
}

var app = builder.Build();
if (mode == "faable")
{
    app.UseFaableAuth();
    app.MapGet("/hello", () => "hello").RequireScope("read:orders");
    app.MapGet("/open", () => "hello");
}
else if (mode == "jwtbearer")
{
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapGet("/hello", () => "hello").RequireAuthorization();
    app.MapGet("/open", () => "hello");
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
