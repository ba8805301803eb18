using OrdersApi.SignIn;
using OrdersApi.Users;

namespace OrdersApi.Tests;

/// <summary>PKCE values.</summary>
public sealed class PkceTests
{
    [Fact]
    public void ChallengeOf_Rfc7636AppendixBVerifier_ReturnsTheRfcChallenge() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.ChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Fact]
    public void NewRandomValue_Called_Returns43Base64UrlCharactersAndNeverRepeats()
    {
        var values = Enumerable.Range(0, 100).Select(_ => Pkce.NewRandomValue()).ToList();

        Assert.All(values, v => Assert.Matches("^[A-Za-z0-9_-]{43}$", v));
        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
    }
}
