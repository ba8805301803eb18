namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>Faable-shaped access tokens for one tenant and audience, timed by the host's clock.</summary>
internal sealed class TokenFactory(string issuer, string audience, TimeProvider time, TestKey key)
{
    public string Issuer => issuer;

    public string Audience => audience;

    public TestKey Key => key;

    public long Now => time.GetUtcNow().ToUnixTimeSeconds();

    public Dictionary<string, object?> Claims() => new()
    {
        ["sub"] = "user_66f1a2b3c4d5e6f7a8b9c0d1",
        ["scope"] = "openid profile email read:orders",
        ["client_id"] = "AbC123xYz",
        ["account"] = "acc_6612ab34cd56ef7890ab12cd",
        ["aud"] = audience,
        ["iss"] = issuer,
        ["iat"] = Now,
        ["exp"] = Now + 3600,
    };

    public Dictionary<string, object?> Header(TestKey? signer = null) => new()
    {
        ["alg"] = "RS256",
        ["typ"] = "JWT",
        ["kid"] = (signer ?? key).Kid,
    };

    public string Create(
        Action<Dictionary<string, object?>>? claims = null,
        Action<Dictionary<string, object?>>? header = null,
        TestKey? signer = null)
    {
        var payload = Claims();
        claims?.Invoke(payload);
        var head = Header(signer);
        header?.Invoke(head);
        return Jwt.SignRs256((signer ?? key).Rsa, Jwt.Json(head), Jwt.Json(payload));
    }

    public string CreateRaw(string headerJson, string payloadJson, TestKey? signer = null) =>
        Jwt.SignRs256((signer ?? key).Rsa, headerJson, payloadJson);
}
