using Faable.Integrations.Tests.Infrastructure;
using Faable.TokenDoctor;

namespace Faable.Integrations.Tests;

public sealed class TokenDoctorCommandTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Faable.Testing.FaableTestTenant? backchannel = null, string input = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TokenDoctorCommand.RunAsync(args, new StringReader(input), output, error, backchannel?.Handler, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static Faable.Testing.FaableTestTenant Tenant() =>
        new(new Faable.Testing.FaableTestTenantOptions { DefaultAudience = TestApi.Audience });

    [Fact]
    public async Task Run_JwksFileValidToken_ExitsZero()
    {
        using var tenant = Tenant();
        var jwks = Path.GetTempFileName();
        await File.WriteAllTextAsync(jwks, tenant.GetJwks(), TestContext.Current.CancellationToken);
        var token = tenant.CreateUserAccessToken().WithScopes("read:orders").Build();

        var (code, output, _) = await RunAsync(["--domain", tenant.Domain, "--audience", TestApi.Audience, "--jwks", jwks, token]);
        File.Delete(jwks);

        Assert.Equal(TokenDoctorCommand.Accepted, code);
        Assert.Contains("[ ok ] signature", output, StringComparison.Ordinal);
        Assert.Contains("Verdict: the token is accepted.", output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FetchedKeysWrongAudienceFromStdin_ExitsOneAndExplains()
    {
        using var tenant = Tenant();
        var token = tenant.CreateUserAccessToken().WithScopes("read:orders").WithUserInfoAudience().Build();

        var (code, output, _) = await RunAsync(["--domain", tenant.Issuer, "--audience", TestApi.Audience, "-"], tenant, token + "\n");

        Assert.Equal(TokenDoctorCommand.Rejected, code);
        Assert.Contains("[FAIL] aud", output, StringComparison.Ordinal);
        Assert.Contains("rejected with reason 'userinfo_audience'", output, StringComparison.Ordinal);
        Assert.Equal(1, tenant.Handler.JwksRequestCount);
    }

    public static TheoryData<string> NotUtf8Tokens =>
    [
        Segment("{\"alg\":\"RS256\",\"kid\":\"\u00FF\"}") + "." + Segment("{\"sub\":\"x\"}") + ".c2ln",
        Segment("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + Segment("{\"iss\":\"\u00C3\u0028\"}") + ".c2ln",
        Segment("{\"alg\":\"\\ud800\"}") + "." + Segment("{\"\u00FF\":1}") + ".",
    ];

    [Theory]
    [MemberData(nameof(NotUtf8Tokens))]
    public async Task Run_TokenNotUtf8_ExitsOneWithAVerdict(string token)
    {
        using var tenant = Tenant();
        var jwks = Path.GetTempFileName();
        await File.WriteAllTextAsync(jwks, tenant.GetJwks(), TestContext.Current.CancellationToken);

        var offline = await RunAsync(["--domain", tenant.Domain, "--audience", TestApi.Audience, "--jwks", jwks, token]);
        var fetched = await RunAsync(["--domain", tenant.Issuer, "--audience", TestApi.Audience, "-"], tenant, token);
        File.Delete(jwks);

        foreach (var (code, output, error) in new[] { offline, fetched })
        {
            Assert.Equal(TokenDoctorCommand.Rejected, code);
            Assert.Empty(error);
            Assert.Contains("Verdict: the token is rejected with reason", output, StringComparison.Ordinal);

            // The part that is not UTF-8 is named, whatever failed first.
            Assert.Matches(@"\[FAIL\] (structure|payload) ", output);
        }
    }

    private static string Segment(string latin1) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.Latin1.GetBytes(latin1));

    [Fact]
    public async Task Run_TrailingSlashDomain_ExitsTwoWithTheFix()
    {
        var (code, _, error) = await RunAsync(["--domain", "acme.auth.faable.link/", "--audience", TestApi.Audience, "a.b.c"]);

        Assert.Equal(TokenDoctorCommand.UsageError, code);
        Assert.Contains("must not end with '/'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoToken_ExitsTwo()
    {
        var (code, _, error) = await RunAsync(["--domain", "acme.auth.faable.link", "--audience", TestApi.Audience]);

        Assert.Equal(TokenDoctorCommand.UsageError, code);
        Assert.Contains("No token given.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownOption_ExitsTwoWithoutPrintingTheToken()
    {
        var (code, output, error) = await RunAsync(["--domain", "acme.auth.faable.link", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "eyJzZWNvbmQiOiJ0b2tlbiJ9.eyJ4IjoxfQ.c2VjcmV0c2lnbmF0dXJl"]);

        Assert.Equal(TokenDoctorCommand.UsageError, code);
        Assert.DoesNotContain("c2VjcmV0c2lnbmF0dXJl", output + error, StringComparison.Ordinal);
    }
}
