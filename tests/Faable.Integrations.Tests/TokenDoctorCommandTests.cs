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
