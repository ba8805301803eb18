using System.Text.Json.Nodes;
using Faable.Cli.Tests.Infrastructure;
using Faable.Testing;

namespace Faable.Cli.Tests;

/// <summary><c>faable token doctor</c> (the resource server's own checks) and <c>faable token decode</c>.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private const string Audience = "https://orders.example.com";
    private readonly FaableTestTenant _tenant = new(new FaableTestTenantOptions { DefaultAudience = Audience });
    private readonly string _jwks = Path.GetTempFileName();

    public TokenCommandTests() => File.WriteAllText(_jwks, _tenant.GetJwks());

    public void Dispose()
    {
        _tenant.Dispose();
        File.Delete(_jwks);
    }

    [Fact]
    public async Task Doctor_JwksFileAndValidToken_ExitsZeroWithoutPrintingTheToken()
    {
        var token = _tenant.CreateUserAccessToken().WithScopes("read:orders").Build();

        var result = await FaableTool.RunAsync("token", "doctor", token, "--domain", _tenant.Domain, "--audience", Audience, "--jwks", _jwks);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[ ok ] signature", result.Output, StringComparison.Ordinal);
        Assert.Contains("Verdict: the token is accepted.", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_UserInfoAudienceFromStandardInput_ExitsOneWithTheReasonAsJson()
    {
        var token = _tenant.CreateUserAccessToken().WithUserInfoAudience().Build();

        var result = await FaableTool.RunAsync(["token", "doctor", "-", "--domain", _tenant.Issuer, "--audience", Audience, "--jwks", _jwks, "--json"], stdin: "Bearer " + token + "\n");

        Assert.True(result.ExitCode == 1, result.ToString());
        var output = JsonNode.Parse(result.Output)!;
        Assert.False(output["valid"]!.GetValue<bool>());
        Assert.Equal("userinfo_audience", output["reason"]!.GetValue<string>());
        Assert.Equal("aud", output["firstFailure"]!.GetValue<string>());
    }

    public static TheoryData<string> NotUtf8Tokens =>
    [
        Segment("{\"alg\":\"RS256\",\"kid\":\"\u00FF\"}") + "." + Segment("{\"sub\":\"x\"}") + ".c2ln",
        Segment("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + Segment("{\"iss\":\"\u00C3\u0028\"}") + ".c2ln",
        Segment("{\"alg\":\"\\ud800\"}") + "." + Segment("{\"\u00FF\":1}") + ".",
    ];

    [Theory]
    [MemberData(nameof(NotUtf8Tokens))]
    public async Task Doctor_TokenNotUtf8_ExitsOneWithAVerdictNamingThePart(string token)
    {
        var result = await FaableTool.RunAsync("token", "doctor", token, "--domain", _tenant.Domain, "--audience", Audience, "--jwks", _jwks);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.Error);
        Assert.Contains("Verdict: the token is rejected with reason", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"\[FAIL\] (structure|payload) ", result.Output);
    }

    [Fact]
    public async Task Doctor_TrailingSlashDomain_Exits64WithTheFix()
    {
        var result = await FaableTool.RunAsync("token", "doctor", "a.b.c", "--domain", "acme.auth.faable.link/", "--audience", Audience);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("must not end with '/'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_NoToken_Exits64()
    {
        var result = await FaableTool.RunAsync("token", "doctor", "--domain", "acme.auth.faable.link", "--audience", Audience);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("faable token doctor --help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_TenantUnreachable_Exits69NotRejected()
    {
        var token = _tenant.CreateUserAccessToken().Build();
        var domain = $"http://127.0.0.1:{OrdersApi.Tests.Infrastructure.FreePort.Next()}";

        var result = await FaableTool.RunAsync("token", "doctor", token, "--domain", domain, "--audience", Audience, "--allow-http");

        Assert.True(result.ExitCode == 69, result.ToString());
        Assert.Contains("keys_unavailable", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_Token_PrintsHeaderAndPayloadButNeverTheSignature()
    {
        var token = _tenant.CreateUserAccessToken("user_66f1a2b3c4d5e6f7a8b9c0d1").WithScopes("read:orders").Build();

        var text = await FaableTool.RunAsync("token", "decode", token);
        var json = await FaableTool.RunAsync("token", "decode", token, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("\"sub\": \"user_66f1a2b3c4d5e6f7a8b9c0d1\"", text.Output, StringComparison.Ordinal);
        Assert.Contains("was not checked", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], text.Output + json.Output, StringComparison.Ordinal);
        var decoded = JsonNode.Parse(json.Output)!;
        Assert.Equal(_tenant.CurrentKeyId, decoded["header"]!["kid"]!.GetValue<string>());
        Assert.Equal(Audience, decoded["payload"]!["aud"]!.GetValue<string>());
        Assert.False(decoded["verified"]!.GetValue<bool>());
    }

    private static string Segment(string latin1) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.Latin1.GetBytes(latin1));

    [Theory]
    [InlineData("opaque-token-value", "not a JWT: it has 1 part(s)")]
    [InlineData("a.b.c.d.e", "encrypted token (JWE")]
    [InlineData("e30.!!!.c2ln", "payload is not base64url")]
    [InlineData("e30.WzFd.c2ln", "payload is JSON but not an object")]
    public async Task Decode_NotAJwt_Exits64SayingWhatItIs(string token, string message)
    {
        var result = await FaableTool.RunAsync("token", "decode", token);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
