using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Faable.AspNetCore.Diagnostics;
using Faable.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.Tests;

/// <summary>
/// Seeded mutation fuzzing over HTTP: an API on Kestrel with the package, against a tenant serving its JWKS over HTTP.
/// Every mutant must get no 5xx but the designed 503, no 2xx once its signed bytes changed, and the same verdict from
/// the token doctor (which must never throw). Replay a failure with <c>FAABLE_TOKEN_FUZZ_SEED=&lt;seed&gt;</c>.
/// </summary>
public sealed class TokenFuzzTests
{
    public const int FixedSeed = 20_261_205;
    private const int MutantsPerSeed = 10_000;
    private const string SeedVariable = "FAABLE_TOKEN_FUZZ_SEED";

    [Fact]
    public Task Fuzz_FixedSeed_NoServerErrorNoForgeryDoctorAgrees() => FuzzAsync(FixedSeed);

    [Fact]
    public Task Fuzz_RandomSeed_NoServerErrorNoForgeryDoctorAgrees()
    {
        var configured = Environment.GetEnvironmentVariable(SeedVariable);
        var seed = int.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        return FuzzAsync(seed);
    }

    [Theory]
    [InlineData("1e308", true)]
    [InlineData("1e308", false)]
    [InlineData("1778583600000", true)]
    [InlineData("1778583600000", false)]
    public async Task Regression_ExpBeyondYear9999_SameAnswerWithAndWithoutTheCache(string exp, bool cache)
    {
        // Found by the fuzzer: adding the skew to an exp clamped to year 9999 overflowed in the cache, so the same
        // correctly signed token got 401 'rejected' with the cache on and 200 with it off.
        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, o => o.TokenCacheEnabled = cache);
        var claims = Jwt.Json(api.Tokens(TestKey.Shared(0)).Claims());
        var token = Jwt.SignRs256(TestKey.Shared(0).Rsa, "{\"alg\":\"RS256\",\"kid\":\"key-0\"}", claims.Replace("\"exp\":", "\"exp\":" + exp + ",\"exp0\":", StringComparison.Ordinal));

        using var first = await api.GetAsync("/orders", token);
        using var second = await api.GetAsync("/orders", token);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
    }

    private static async Task FuzzAsync(int seed)
    {
        var log = TestContext.Current.TestOutputHelper;
        log?.WriteLine($"Token fuzzing seed {seed} (replay: {SeedVariable}={seed} dotnet test --filter {nameof(TokenFuzzTests)})");
        var ct = TestContext.Current.CancellationToken;

        await using var tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        await using var api = await ApiHost.StartAsync(tenant, environment: "Development", map: app => app.MapFaableTokenDoctor(), overHttp: true);
        var doctor = api.Services.GetRequiredService<FaableTokenDoctor>();
        var tokens = api.Tokens(TestKey.Shared(0));
        var jwks = JsonSerializer.Serialize(new { keys = new[] { TestKey.Shared(0).ToJwk() } });
        var offline = new FaableAuthOptions { Domain = tenant.Issuer, Audience = ApiHost.Audience, RequireHttpsMetadata = false };

        string[] valid =
        [
            tokens.Create(),
            tokens.Create(c => { c["scope"] = "openid"; c["permissions"] = new[] { "read:orders", "write:orders" }; }),
            tokens.Create(c => { c["sub"] = "AbC123xYz@clients"; c["client_id"] = "AbC123xYz@clients"; c["nbf"] = tokens.Now - 10; }),
            tokens.Create(c => c["aud"] = new[] { "https://billing.example.com", ApiHost.Audience }),
        ];
        var originals = valid.ToHashSet(StringComparer.Ordinal);
        var mutants = new TokenMutator(seed, TestKey.Shared(0)).Create(valid, MutantsPerSeed);
        Assert.True(mutants.Count >= 10_000);

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(mutants, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (mutant, token) =>
        {
            var problem = await CheckAsync(api, doctor, offline, jwks, mutant, originals, statuses, token);
            if (problem is not null)
            {
                failures.Enqueue($"#{mutant.Index} [{mutant.Operator}]: {problem}");
            }
        });

        log?.WriteLine($"{mutants.Count} mutants in {watch.Elapsed.TotalSeconds:0.0} s; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.IsEmpty, $"seed {seed}: {failures.Count} failure(s); replay with {SeedVariable}={seed}\n{string.Join('\n', failures.Take(20))}");

        // The mutations reach every layer: some are accepted (re-signed edits), most are refused at different steps.
        Assert.Contains(200, statuses.Keys);
        Assert.Contains(401, statuses.Keys);
    }

    private static async Task<string?> CheckAsync(
        ApiHost api,
        FaableTokenDoctor doctor,
        FaableAuthOptions offline,
        string jwks,
        Mutant mutant,
        HashSet<string> originals,
        ConcurrentDictionary<int, int> statuses,
        CancellationToken ct)
    {
        FaableTokenDiagnosis diagnosis;
        try
        {
            diagnosis = await doctor.DiagnoseAsync(mutant.Token, ct);
            _ = diagnosis.ToString();
            if (mutant.Index % 10 == 0)
            {
                // The offline doctor (the command-line tool's path) parses the JWKS on every call: one in ten suffices.
                _ = FaableTokenDoctor.Diagnose(mutant.Token, offline, jwks, api.Time).ToString();
            }
        }
#pragma warning disable CA1031 // Any exception is the finding.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"the token doctor threw {ex.GetType().Name}: {ex.Message}";
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + mutant.Token);
        using var response = await api.Client.SendAsync(request, ct);
        var status = (int)response.StatusCode;
        statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        var body = await response.Content.ReadAsStringAsync(ct);
        var reason = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString()
            : null;

        if (status >= 500 && !(status == 503 && reason == "keys_unavailable" && response.Headers.RetryAfter is not null))
        {
            return $"{status} {reason}";
        }

        if (status is >= 200 and < 300 && !mutant.Resigned && !originals.Contains(mutant.Token.Trim()))
        {
            return $"{status} for a token whose signed bytes changed";
        }

        var apiVerdict = status is 401 or 503 ? reason : null;
        if (apiVerdict != diagnosis.Reason || (diagnosis.Reason is not null && diagnosis.FirstFailure?.Reason != diagnosis.Reason))
        {
            return $"API answered {status} {reason}, the doctor {diagnosis.Reason ?? "accepts"} (first failed check {diagnosis.FirstFailure?.Name})";
        }

        // One in ten also goes to the doctor's endpoint, as text and wrapped in JSON.
        if (mutant.Index % 10 == 0)
        {
            using var text = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(mutant.Token, Encoding.UTF8), ct);
            using var json = await api.Client.PostAsync("/_faable/token-doctor", new StringContent(JsonSerializer.Serialize(new { token = mutant.Token }), Encoding.UTF8, "application/json"), ct);
            if (text.StatusCode != HttpStatusCode.OK || json.StatusCode != HttpStatusCode.OK)
            {
                return $"token doctor endpoint answered {(int)text.StatusCode} / {(int)json.StatusCode}";
            }
        }

        return null;
    }
}
