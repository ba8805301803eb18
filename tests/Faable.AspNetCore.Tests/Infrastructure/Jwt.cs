using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>Builds compact JWS tokens byte by byte, so tests control every header and claim.</summary>
internal static class Jwt
{
    public static string Segment(string json) => TestKey.Base64Url(Encoding.UTF8.GetBytes(json));

    public static string Json(Dictionary<string, object?> value) => JsonSerializer.Serialize(value);

    public static string SignRs256(RSA key, string headerJson, string payloadJson) =>
        Sign(headerJson, payloadJson, input => key.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static string Sign(string headerJson, string payloadJson, Func<byte[], byte[]> signer)
    {
        var input = Segment(headerJson) + "." + Segment(payloadJson);
        return input + "." + TestKey.Base64Url(signer(Encoding.ASCII.GetBytes(input)));
    }

    public static string Unsigned(string headerJson, string payloadJson) => Segment(headerJson) + "." + Segment(payloadJson) + ".";
}
