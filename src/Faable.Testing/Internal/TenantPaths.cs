namespace Faable.Testing.Internal;

/// <summary>Endpoint paths relative to the issuer, as Faable lays them out.</summary>
internal static class TenantPaths
{
    public const string Discovery = "/.well-known/openid-configuration";
    public const string Jwks = "/.well-known/jwks.json";
    public const string Authorize = "/authorize";
    public const string Login = "/login";
    public const string Continue = "/continue";
    public const string Token = "/oauth/token";
    public const string UserInfo = "/userinfo";
    public const string Logout = "/oidc/logout";
    public const string SendWebhook = "/dev/webhooks/send";
}
