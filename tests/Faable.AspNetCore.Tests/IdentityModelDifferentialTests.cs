using System.Text.Json;
using System.Text.RegularExpressions;
using Faable.AspNetCore.Internal;
using Faable.AspNetCore.Tests.Infrastructure;
using Faable.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// The valid and hostile tokens, checked by the package and by a strictly configured <see cref="JsonWebTokenHandler"/>
/// (RS256 only, exact issuer and audience, the same skew, no claim mapping, keys from the same JWKS). Where
/// they disagree, the package must be the stricter one, for a rule listed in the README's "Stricter than IdentityModel"
/// table; an unlisted disagreement, or a token the package accepts and IdentityModel refuses, fails the test.
/// </summary>
public sealed partial class IdentityModelDifferentialTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string TableHeading = "### Stricter than IdentityModel";

    [Fact]
    public async Task HostileAndValidTokens_EveryDisagreementIsADocumentedStricterRule()
    {
        var ct = TestContext.Current.CancellationToken;
        var rules = DocumentedRules();
        var parameters = StrictParameters();
        var validator = fixture.Api.Services.GetRequiredService<FaableTokenValidator>();
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };

        var unexplained = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var agreements = 0;
        foreach (var (name, token) in Tokens())
        {
            var ours = await validator.ValidateUncachedAsync(token, ct);
            var theirs = await handler.ValidateTokenAsync(token, parameters);
            if (ours.IsValid == theirs.IsValid)
            {
                agreements++;
                continue;
            }

            if (ours.IsValid)
            {
                unexplained.Add($"'{name}': accepted here, refused by IdentityModel ({theirs.Exception?.GetType().Name})");
            }
            else if (rules.TryGetValue(ours.Error!.Reason, out var rule))
            {
                used.Add(ours.Error.Reason);
                TestContext.Current.TestOutputHelper?.WriteLine($"'{name}': {ours.Error.Reason} ({rule}); IdentityModel accepts");
            }
            else
            {
                unexplained.Add($"'{name}': refused here with '{ours.Error.Reason}', accepted by IdentityModel, and no rule in the README's table names '{ours.Error.Reason}'");
            }
        }

        Assert.True(unexplained.Count == 0, string.Join('\n', unexplained));
        Assert.True(agreements > 50, $"{agreements} agreements");

        // Every row of the table is shown by at least one token here, so the table lists only real differences.
        Assert.Empty(rules.Keys.Except(used));
    }

    [Fact]
    public async Task StrictHandler_ValidToken_IsAccepted()
    {
        // Guards the comparison itself: a handler that refused everything would agree on every hostile token.
        var parameters = StrictParameters();
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(fixture.Tokens.Create(), parameters);

        Assert.True(result.IsValid, result.Exception?.ToString());
    }

    private TokenValidationParameters StrictParameters()
    {
        // IdentityModel reads the system clock, so the API's clock is set to it for this comparison.
        fixture.Api.Time.SetUtcNow(TimeProvider.System.GetUtcNow());
        var jwks = new JsonWebKeySet(JsonSerializer.Serialize(new { keys = new[] { fixture.Tokens.Key.ToJwk() } }));
        return new TokenValidationParameters
        {
            ValidIssuer = fixture.Tokens.Issuer,
            ValidAudience = fixture.Tokens.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
            ClockSkew = TimeSpan.FromSeconds(30),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
    }

    private IEnumerable<(string Name, string Token)> Tokens()
    {
        foreach (var name in HostileTokenTests.CaseNames().Select(row => (string)row.Data))
        {
            var @case = HostileTokenTests.Build(name, fixture.Tokens);
            if (@case.Authorization is [{ } header] && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                yield return (name, header[7..].Trim(' '));
            }
        }

        var t = fixture.Tokens;
        yield return ("valid machine token", t.Create(c => { c["sub"] = "AbC123xYz@clients"; c["client_id"] = "AbC123xYz@clients"; }));
        yield return ("valid token with nbf", t.Create(c => c["nbf"] = t.Now - 60));
        yield return ("valid token with several audiences", t.Create(c => c["aud"] = new[] { "https://billing.example.com", t.Audience }));
        yield return ("iat a year in the future", t.Create(c => c["iat"] = t.Now + (365 * 86400)));
        yield return ("exp as a numeric string", t.Create(c => c["exp"] = (t.Now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        yield return ("kid of another key, signed by the published key", t.Create(header: h => h["kid"] = "key-9"));
        yield return ("escaped lone surrogate in a claim, signed", Jwt.SignRs256(t.Key.Rsa, "{\"alg\":\"RS256\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims())[..^1] + ",\"name\":\"\\udc00\"}"));
    }

    /// <summary>Reads the README table: one row per rule, the last column lists the <c>reason</c> codes it answers with.</summary>
    private static Dictionary<string, string> DocumentedRules()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Faable.AspNetCore", "README.md"));
        var start = readme.IndexOf(TableHeading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{TableHeading}' section");
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in readme[start..].Split('\n').Skip(1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            foreach (Match reason in ReasonCode().Matches(cells[^2]))
            {
                rules[reason.Groups[1].Value] = cells[1];
            }
        }

        Assert.NotEmpty(rules);
        return rules;
    }

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex ReasonCode();
}
