using System.Text;
using System.Text.Json;

namespace Faable.Testing.Internal;

/// <summary>Builds the tenant's discovery and JWKS documents.</summary>
internal static class TenantJson
{
    public static string Discovery(string issuer, IEnumerable<string> scopesSupported)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("issuer", issuer);
            w.WriteString("authorization_endpoint", issuer + TenantPaths.Authorize);
            w.WriteString("token_endpoint", issuer + TenantPaths.Token);
            w.WriteString("userinfo_endpoint", issuer + TenantPaths.UserInfo);
            w.WriteString("jwks_uri", issuer + TenantPaths.Jwks);
            w.WriteString("end_session_endpoint", issuer + TenantPaths.Logout);
            WriteArray(w, "scopes_supported", scopesSupported);
            WriteArray(w, "response_types_supported", ["code"]);
            WriteArray(w, "response_modes_supported", ["query"]);
            WriteArray(w, "grant_types_supported", ["authorization_code", "client_credentials"]);
            WriteArray(w, "subject_types_supported", ["public"]);
            WriteArray(w, "id_token_signing_alg_values_supported", ["RS256"]);
            WriteArray(w, "token_endpoint_auth_methods_supported", ["client_secret_basic", "client_secret_post", "none"]);
            WriteArray(w, "code_challenge_methods_supported", ["S256"]);
            WriteArray(w, "claims_supported", ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email", "email_verified"]);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Jwks(IEnumerable<TenantSigningKey> keys)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var key in keys)
            {
                w.WriteStartObject();
                w.WriteString("kty", "RSA");
                w.WriteString("use", "sig");
                w.WriteString("alg", "RS256");
                w.WriteString("kid", key.KeyId);
                w.WriteString("n", key.Modulus);
                w.WriteString("e", key.Exponent);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
