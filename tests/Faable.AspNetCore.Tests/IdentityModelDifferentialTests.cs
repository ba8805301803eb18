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
public sealed class IdentityModelDifferentialTests : IAsyncLifetime
{
    private const string TableHeading = "### Stricter than IdentityModel";
    private const string LaxerHeading = "#### Accepted here, refused by IdentityModel";

    private FakeTenant _tenant = null!;
    private ApiHost _api = null!;
    private TokenFactory _tokens = null!;

    public async ValueTask InitializeAsync()
    {
        // IdentityModel reads the system clock, so the API and the tokens use it too. Every unknown kid is looked up
        // afresh (no cool-down), so it is decided (401) rather than undecidable (503) as it may be in production.
        _tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        _api = await ApiHost.StartAsync(_tenant, o => o.JwksRefreshCooldown = TimeSpan.FromMilliseconds(1), realTime: true);
        _tokens = _api.Tokens(TestKey.Shared(0));
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _tenant.DisposeAsync();
    }

    [Fact]
    public async Task HostileAndValidTokens_EveryDisagreementIsADocumentedStricterRule()
    {
        var ct = TestContext.Current.CancellationToken;
        var rules = DocumentedRules(TableHeading, "`([a-z_]+)`");
        var limits = DocumentedRules(LaxerHeading, "`([A-Za-z]+Exception)`");
        var parameters = StrictParameters();
        var validator = _api.Services.GetRequiredService<FaableTokenValidator>();
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };

        var unexplained = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var agreements = 0;
        var tokens = Tokens().ToList();

        // A kid is unknown only to a key set fetched after the token was issued (to the second).
        await Task.Delay(TimeSpan.FromSeconds(1.2), ct);
        foreach (var (name, token) in tokens)
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
                var exception = theirs.Exception?.GetType().Name ?? "no exception";
                if (limits.TryGetValue(exception, out var limit))
                {
                    used.Add(exception);
                    TestContext.Current.TestOutputHelper?.WriteLine($"'{name}': accepted ({limit}); IdentityModel refuses with {exception}");
                }
                else
                {
                    unexplained.Add($"'{name}': accepted here, refused by IdentityModel ({exception}), and the README does not list it");
                }
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
        Assert.Empty(rules.Keys.Concat(limits.Keys).Except(used));
    }

    [Fact]
    public async Task StrictHandler_ValidToken_IsAccepted()
    {
        // Guards the comparison itself: a handler that refused everything would agree on every hostile token.
        var parameters = StrictParameters();
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(_tokens.Create(), parameters);

        Assert.True(result.IsValid, result.Exception?.ToString());
    }

    private TokenValidationParameters StrictParameters()
    {
        var jwks = new JsonWebKeySet(JsonSerializer.Serialize(new { keys = new[] { _tokens.Key.ToJwk() } }));
        return new TokenValidationParameters
        {
            ValidIssuer = _tokens.Issuer,
            ValidAudience = _tokens.Audience,
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
            var @case = HostileTokenTests.Build(name, _tokens);
            if (@case.Authorization is [{ } header] && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                yield return (name, header[7..].Trim(' '));
            }
        }

        var t = _tokens;
        yield return ("valid machine token", t.Create(c => { c["sub"] = "AbC123xYz@clients"; c["client_id"] = "AbC123xYz@clients"; }));
        yield return ("valid token with nbf", t.Create(c => c["nbf"] = t.Now - 60));
        yield return ("valid token with several audiences", t.Create(c => c["aud"] = new[] { "https://billing.example.com", t.Audience }));
        yield return ("iat a year in the future", t.Create(c => c["iat"] = t.Now + (365 * 86400)));
        yield return ("exp as a numeric string", t.Create(c => c["exp"] = (t.Now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        yield return ("kid of another key, signed by the published key", t.Create(header: h => h["kid"] = "key-9"));
        yield return ("escaped lone surrogate in a claim, signed", Jwt.SignRs256(t.Key.Rsa, "{\"alg\":\"RS256\",\"kid\":\"key-0\"}", Jwt.Json(t.Claims())[..^1] + ",\"name\":\"\\udc00\"}"));
    }

    /// <summary>Reads a README table: one row per rule; the codes (reasons, exception names) in its last column map to the rule.</summary>
    private static Dictionary<string, string> DocumentedRules(string heading, string codePattern)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Faable.AspNetCore", "README.md"));
        var start = readme.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}' section");
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in readme[start..].Split('\n').Skip(1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            foreach (Match reason in Regex.Matches(cells[^2], codePattern))
            {
                rules[reason.Groups[1].Value] = cells[1];
            }
        }

        Assert.NotEmpty(rules);
        return rules;
    }
}
