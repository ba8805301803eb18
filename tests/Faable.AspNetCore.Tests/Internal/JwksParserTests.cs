using System.Text;
using System.Text.Json;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;

namespace Faable.AspNetCore.Tests.Internal;

public sealed class JwksParserTests
{
    private static Dictionary<string, SigningKey>? Parse(params object[] keys) =>
        JwksParser.Parse(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { keys })), []);

    [Fact]
    public void Parse_GoodKey_IsUsable()
    {
        var keys = Parse(TestKey.Shared(0).ToJwk());
        Assert.Equal(2048, Assert.Single(keys!).Value.ModulusBits);
    }

    [Fact]
    public void Parse_KeyWithoutUseAndAlg_IsUsable() =>
        Assert.Single(Parse(TestKey.Shared(0).ToJwk(j => { j.Remove("use"); j.Remove("alg"); }))!);

    [Fact]
    public void Parse_KeyOpsWithVerify_IsUsable() =>
        Assert.Single(Parse(TestKey.Shared(0).ToJwk(j => j["key_ops"] = new[] { "verify" }))!);

    [Theory]
    [InlineData("use", "enc")]
    [InlineData("alg", "RS512")]
    [InlineData("alg", "PS256")]
    [InlineData("kty", "EC")]
    [InlineData("kid", null)]
    [InlineData("kid", "")]
    [InlineData("d", "AQAB")]
    [InlineData("p", "AQAB")]
    [InlineData("e", "AQ")]
    [InlineData("e", "Ag")]
    [InlineData("n", "not base64url!")]
    public void Parse_UnusableKey_IsSkipped(string member, string? value)
    {
        var skipped = new List<(string? Kid, string Why)>();
        var json = JsonSerializer.Serialize(new { keys = new[] { TestKey.Shared(0).ToJwk(j => j[member] = value) } });

        var keys = JwksParser.Parse(Encoding.UTF8.GetBytes(json), skipped);

        Assert.Empty(keys!);
        Assert.Single(skipped);
    }

    [Fact]
    public void Parse_KeyOpsWithoutVerify_IsSkipped() =>
        Assert.Empty(Parse(TestKey.Shared(0).ToJwk(j => j["key_ops"] = new[] { "encrypt" }))!);

    [Fact]
    public void Parse_1024BitKey_IsSkipped()
    {
        var key = new TestKey("small", 1024);
        Assert.Empty(Parse(key.ToJwk())!);
    }

    [Fact]
    public void Parse_DuplicateKid_DropsBoth()
    {
        var keys = Parse(TestKey.Shared(0).ToJwk(), TestKey.Shared(1).WithKid("key-0").ToJwk(), TestKey.Shared(2).ToJwk());
        Assert.Equal(["key-2"], keys!.Keys);
    }

    [Theory]
    [InlineData("<html></html>")]
    [InlineData("{\"keys\": {}}")]
    [InlineData("[]")]
    [InlineData("{\"no\": []}")]
    [InlineData("{\"keys\": [")]
    public void Parse_NotAJwks_ReturnsNull(string document) =>
        Assert.Null(JwksParser.Parse(Encoding.UTF8.GetBytes(document), []));

    [Fact]
    public void Roca_RandomKeys_AreNotFlagged() =>
        Assert.False(RocaFingerprint.IsVulnerable(TestKey.Shared(0).Rsa.ExportParameters(false).Modulus));
}
