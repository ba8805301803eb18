using System.Text;
using Faable.Cli.Tests.Infrastructure;
using Faable.Testing;

namespace Faable.Cli.Tests;

/// <summary><c>faable token doctor</c> on tokens whose header or payload is not UTF-8: a verdict, never a crash.</summary>
public sealed class TokenDoctorCommandTests
{
    private const string Audience = "https://orders.example.com";

    /// <summary>Unsigned garbage; each character below U+0100 becomes one byte, so "\u00FF" is the byte 0xFF.</summary>
    public static TheoryData<string> NotUtf8Tokens =>
    [
        Segment("{\"alg\":\"RS256\",\"kid\":\"\u00FF\"}") + "." + Segment("{\"sub\":\"x\"}") + ".c2ln",
        Segment("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + Segment("{\"iss\":\"\u00C3\u0028\"}") + ".c2ln",
        Segment("{\"alg\":\"\\ud800\"}") + "." + Segment("{\"\u00FF\":1}") + ".",
    ];

    [Theory]
    [MemberData(nameof(NotUtf8Tokens))]
    public async Task Doctor_TokenNotUtf8_ExitsOneWithAVerdict(string token)
    {
        using var tenant = new FaableTestTenant(new FaableTestTenantOptions { DefaultAudience = Audience });
        var jwks = Path.GetTempFileName();
        await File.WriteAllTextAsync(jwks, tenant.GetJwks(), TestContext.Current.CancellationToken);
        try
        {
            var result = await FaableTool.RunAsync("token", "doctor", token, "--domain", tenant.Domain, "--audience", Audience, "--jwks", jwks);

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("Verdict: the token is rejected with reason", result.Output, StringComparison.Ordinal);

            // The part that is not UTF-8 is named, whatever failed first.
            Assert.Matches(@"\[FAIL\] (structure|payload) ", result.Output);
        }
        finally
        {
            File.Delete(jwks);
        }
    }

    private static string Segment(string latin1) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.Latin1.GetBytes(latin1));
}
