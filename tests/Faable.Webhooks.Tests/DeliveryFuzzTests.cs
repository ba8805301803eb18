using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Faable.Webhooks.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Webhooks.Tests;

/// <summary>
/// Seeded mutation fuzzing of signed deliveries against the endpoint behind Kestrel, over real sockets: bit flips,
/// truncation, substitutions, invalid UTF-8, header edits, and JSON edits re-signed with the real secret (huge
/// numbers, deep nesting, odd identities). Never a 5xx; never a 2xx for a delivery whose signed bytes (or identity
/// headers) were changed without re-signing; <see cref="FaableWebhookVerifier.Verify(ReadOnlySpan{byte}, FaableWebhookHeaders)"/>
/// never throws; a 2xx only for a body that is well-formed JSON naming the delivery its headers name; and every
/// accepted delivery is dispatched. One fixed seed and one random seed per run; set <c>FAABLE_FUZZ_SEED</c> to replay.
/// </summary>
public sealed class DeliveryFuzzTests(ITestOutputHelper output)
{
    private const int FixedSeed = 20_261_205;
    private const int Mutations = 10_000;
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] EventTypes = ["user.created", "user.updated", "user.deleted", "auth.login", "organization.created"];

    private enum Expect
    {
        /// <summary>The signed bytes or the identity headers changed and nothing was re-signed: anything but 2xx.</summary>
        Refused,

        /// <summary>Re-signed with the real secret, or untouched where it counts: any answer but a 5xx; a 2xx only for well-formed JSON.</summary>
        Either,

        /// <summary>Nothing signed or checked changed (an unrelated header was added): 202.</summary>
        Accepted,
    }

    [Fact]
    public Task Fuzz_FixedSeed_NeverA5xxNorAnUnsignedAccept() => RunAsync(FixedSeed);

    [Fact]
    public Task Fuzz_RandomSeed_NeverA5xxNorAnUnsignedAccept()
    {
        var replay = Environment.GetEnvironmentVariable("FAABLE_FUZZ_SEED");
        var seed = int.TryParse(replay, System.Globalization.CultureInfo.InvariantCulture, out var given) ? given : RandomNumberGenerator.GetInt32(int.MaxValue);
        return RunAsync(seed);
    }

    private async Task RunAsync(int seed)
    {
        output.WriteLine($"Delivery fuzzing seed {seed} (replay with FAABLE_FUZZ_SEED={seed}).");
        var random = new Random(seed);
        var signer = new FaableWebhookSigner(TestSecrets.Current);
        var verifier = new FaableWebhookVerifier(TestSecrets.Current);
        var cases = Enumerable.Range(0, Mutations).Select(i => Mutate(random, signer, i)).ToList();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var dispatched = 0;
        builder.Services.AddFaableWebhooks(o =>
            {
                o.Secret = TestSecrets.Current;
                o.MaxBodyBytes = MaxBodyBytes;
                o.MaxConcurrentDispatches = 2;
                o.PollInterval = TimeSpan.FromMilliseconds(50);
            })
            .AddHandler<FaableWebhookEvent>((e, sp, ct) => Count(ref dispatched))
            .AddFallbackHandler((d, sp, ct) => Count(ref dispatched));
        await using var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 }) { BaseAddress = new Uri(address) };

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var accepted = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (c, ct) =>
        {
            FaableWebhookVerificationResult verified;
            try
            {
                verified = verifier.Verify(c.Body, new FaableWebhookHeaders(c.Header(FaableWebhookDefaults.TimestampHeader), c.Header(FaableWebhookDefaults.SignatureHeader), c.Header(FaableWebhookDefaults.EventHeader), c.Header(FaableWebhookDefaults.DeliveryHeader)));
            }
            catch (Exception ex)
            {
                failures.Enqueue($"#{c.Index} {c.Kind}: Verify threw {ex.GetType().Name}: {ex.Message}");
                return;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/faable") { Content = new ByteArrayContent(c.Body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            foreach (var (name, value) in c.Headers)
            {
                Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"#{c.Index} {c.Kind}: header {name} not sendable");
            }

            using var response = await client.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            var success = status is >= 200 and < 300;
            if (success)
            {
                Interlocked.Increment(ref accepted);
            }

            var problem = status >= 500 ? "a 5xx"
                : success && c.Expect == Expect.Refused ? "a 2xx for changed signed bytes"
                : !success && c.Expect == Expect.Accepted ? "a refusal of an untouched delivery"
                : success && !IsWellFormedDelivery(c) ? "a 2xx for a body that is not a well-formed delivery"
                : status == 202 && !verified.IsValid ? $"a 202 where Verify says {verified.FailureReason}"
                : null;
            if (problem is not null)
            {
                failures.Enqueue($"#{c.Index} {c.Kind}: {problem} ({status}: {await response.Content.ReadAsStringAsync(ct)})");
            }
        });

        var summary = string.Join(", ", cases.GroupBy(c => c.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        output.WriteLine($"{cases.Count} mutations, {accepted} accepted; {summary}");
        Assert.True(failures.IsEmpty, $"seed {seed} (replay with FAABLE_FUZZ_SEED={seed}): {failures.Count} failures; first: " + string.Join(" | ", failures.Take(5)));

        // Accepted means never lost: every accepted delivery reaches a handler, and nothing is left behind.
        var inbox = app.Services.GetRequiredService<IFaableWebhookInbox>();
        await WebhookDispatchTests.WaitUntilAsync(async () => await inbox.GetBacklogAsync(CancellationToken.None) == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(accepted, Volatile.Read(ref dispatched));
        Assert.Empty(await inbox.GetDeadLettersAsync(10, CancellationToken.None));
        Assert.True(accepted > Mutations / 20, $"seed {seed}: only {accepted} accepted; the mutations no longer exercise the accepting path");
    }

    private static Task Count(ref int counter)
    {
        Interlocked.Increment(ref counter);
        return Task.CompletedTask;
    }

    /// <summary>The independent oracle: System.Text.Json's own parser, and the identity the headers claim.</summary>
    private static bool IsWellFormedDelivery(Case c)
    {
        try
        {
            using var document = JsonDocument.Parse(c.Body, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == c.Header(FaableWebhookDefaults.DeliveryHeader)
                && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == c.Header(FaableWebhookDefaults.EventHeader);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static Case Mutate(Random random, FaableWebhookSigner signer, int index)
    {
        var type = EventTypes[random.Next(EventTypes.Length)];
        var id = "evt_" + Convert.ToHexStringLower(RandomBytes(random, 12));
        var json = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"produced_at\":\"2026-05-12T10:30:00.123Z\",\"payload\":{\"user\":{\"user_id\":\"usr_" + index
            + "\",\"email\":\"u" + index + "@example.com\",\"email_verified\":true,\"app_metadata\":{\"plan\":\"pro\",\"seats\":[1,2,3]}}}}";
        var body = Encoding.UTF8.GetBytes(json);
        var valid = signer.SignBody(body, type, id);
        var headers = valid.Headers.ToList();

        switch (random.Next(16))
        {
            case 0:
                return new(index, "bit flip", FlipBits(random, body), headers, Expect.Refused);
            case 1:
                return new(index, "truncation", body[..random.Next(body.Length)], headers, Expect.Refused);
            case 2:
                return new(index, "substitution", Substitute(random, body), headers, Expect.Refused);
            case 3:
                return new(index, "appended bytes", [.. body, .. RandomBytes(random, 1 + random.Next(8))], headers, Expect.Refused);
            case 4:
                return new(index, "invalid utf-8", InsertInvalidUtf8(random, body), headers, Expect.Refused);
            case 5:
                return new(index, "timestamp edit", body, With(headers, FaableWebhookDefaults.TimestampHeader, EditTimestamp(random, valid.Timestamp)), Expect.Refused);
            case 6:
                return new(index, "signature edit", body, With(headers, FaableWebhookDefaults.SignatureHeader, EditSignature(random, valid.Signature)), Expect.Refused);
            case 7:
                return new(index, "identity header edit", body, EditIdentityHeader(random, headers), Expect.Refused);
            case 8:
                return new(index, "unrelated header", body, [.. headers, new("X-Forwarded-For", "203.0.113." + random.Next(256))], Expect.Accepted);
            case 9:
                return ReSigned(signer, index, "re-signed huge number", id, type, Insert(json, "\"n\":" + HugeNumber(random) + ","));
            case 10:
                return ReSigned(signer, index, "re-signed deep nesting", id, type, Insert(json, "\"deep\":" + Nest(random) + ","));
            case 11:
                return ReSigned(signer, index, "re-signed invalid utf-8", id, type, InsertInvalidUtf8(random, body));
            case 12:
                return ReSigned(signer, index, "re-signed identity edit", id, type, Encoding.UTF8.GetBytes(EditIdentity(random, json, id)));
            case 13:
                return ReSigned(signer, index, "re-signed bit flip", id, type, FlipBits(random, body));
            case 14:
                return ReSigned(signer, index, "re-signed truncation", id, type, body[..random.Next(body.Length)]);
            default:
                return ReSigned(signer, index, "re-signed payload edit", id, type, Encoding.UTF8.GetBytes(EditPayload(random, json)));
        }
    }

    private static Case ReSigned(FaableWebhookSigner signer, int index, string kind, string id, string type, string json) =>
        ReSigned(signer, index, kind, id, type, Encoding.UTF8.GetBytes(json));

    private static Case ReSigned(FaableWebhookSigner signer, int index, string kind, string id, string type, byte[] body) =>
        new(index, kind, body, [.. signer.SignBody(body, type, id).Headers], Expect.Either);

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] FlipBits(Random random, byte[] body)
    {
        var copy = (byte[])body.Clone();
        for (var i = 1 + random.Next(3); i > 0; i--)
        {
            var at = random.Next(copy.Length);
            copy[at] ^= (byte)(1 << random.Next(8));
        }

        return copy.AsSpan().SequenceEqual(body) ? [.. copy, (byte)' '] : copy;
    }

    private static byte[] Substitute(Random random, byte[] body)
    {
        var copy = (byte[])body.Clone();
        var at = random.Next(copy.Length);
        copy[at] = (byte)((copy[at] + 1 + random.Next(255)) % 256);
        return copy;
    }

    private static byte[] InsertInvalidUtf8(Random random, byte[] body)
    {
        byte[][] invalid = [[0x80], [0xFF], [0xC0, 0xAF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
        var at = random.Next(body.Length + 1);
        return [.. body[..at], .. invalid[random.Next(invalid.Length)], .. body[at..]];
    }

    private static string Insert(string json, string member) => json.Insert(1, member);

    private static string HugeNumber(Random random) => random.Next(4) switch
    {
        0 => "1e" + random.Next(300, 100_000),
        1 => "-" + new string('9', random.Next(20, 5000)),
        2 => "0." + new string('0', random.Next(100, 5000)) + "1",
        _ => new string('7', random.Next(20, 400)) + "." + new string('3', random.Next(1, 400)) + "E+" + random.Next(1000),
    };

    private static string Nest(Random random)
    {
        int[] depths = [1, 10, 62, 63, 64, 65, 200, 5000];
        var depth = depths[random.Next(depths.Length)];
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        return string.Concat(Enumerable.Repeat(open, depth)) + "0" + string.Concat(Enumerable.Repeat(close, depth));
    }

    private static string EditTimestamp(Random random, string timestamp) => random.Next(5) switch
    {
        0 => (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1 + random.Next(1000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => "+" + timestamp,
        2 => timestamp + "0",
        3 => "0" + timestamp,
        _ => timestamp[..^1],
    };

    private static string EditSignature(Random random, string signature)
    {
        switch (random.Next(5))
        {
            case 0:
                var chars = signature.ToCharArray();
                var at = "sha256=".Length + random.Next(64);
                chars[at] = chars[at] == '0' ? '1' : '0';
                return new string(chars);
            case 1:
                return "sha256=" + signature["sha256=".Length..].ToUpperInvariant() + (signature.Any(char.IsAsciiLetterLower) ? string.Empty : "A");
            case 2:
                return signature[..^1];
            case 3:
                return signature + "," + signature;
            default:
                return "sha512=" + signature["sha256=".Length..];
        }
    }

    private static List<KeyValuePair<string, string>> EditIdentityHeader(Random random, List<KeyValuePair<string, string>> headers)
    {
        var name = random.Next(2) == 0 ? FaableWebhookDefaults.EventHeader : FaableWebhookDefaults.DeliveryHeader;
        var value = headers.Single(h => h.Key == name).Value;
        return random.Next(3) switch
        {
            0 => [.. headers.Where(h => h.Key != name)],
            1 => With(headers, name, value.ToUpperInvariant() + (value.Any(char.IsAsciiLetterLower) ? string.Empty : "X")),
            _ => With(headers, name, value + "x"),
        };
    }

    private static string EditIdentity(Random random, string json, string id) => random.Next(6) switch
    {
        0 => json.Replace("\"id\":\"" + id + "\"", "\"id\":" + random.Next(), StringComparison.Ordinal),
        1 => json.Replace("\"id\":\"" + id + "\"", "\"id\":null", StringComparison.Ordinal),
        2 => json.Replace("\"id\":\"" + id + "\"", "\"id\":\"" + new string('e', 300) + "\"", StringComparison.Ordinal),
        3 => json.Replace("\"id\":\"" + id + "\"", "\"id\":\"" + id + "\\u0000\"", StringComparison.Ordinal),
        4 => json.Insert(json.Length - 1, ",\"id\":\"" + id + "\""),
        _ => json.Replace("\"id\":\"" + id + "\"", "\"id\":\"" + id[..^2] + "\\u00" + ((int)id[^1]).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)[..1] + "\"", StringComparison.Ordinal),
    };

    private static string EditPayload(Random random, string json) => random.Next(5) switch
    {
        0 => json.Replace("\"user_id\":\"usr_", "\"user_id\":" + random.Next() + ",\"x\":\"", StringComparison.Ordinal),
        1 => json.Replace("\"payload\":{", "\"payload\":[{", StringComparison.Ordinal).Insert(json.Length, "]"),
        2 => json.Replace("true", "\"yes\"", StringComparison.Ordinal),
        3 => json + " ",
        _ => json.Replace("\"email\"", "\"email\":null,\"email\"", StringComparison.Ordinal),
    };

    private static List<KeyValuePair<string, string>> With(List<KeyValuePair<string, string>> headers, string name, string value) =>
        [.. headers.Select(h => h.Key == name ? new KeyValuePair<string, string>(name, value) : h)];

    private sealed record Case(int Index, string Kind, byte[] Body, List<KeyValuePair<string, string>> Headers, Expect Expect)
    {
        public string? Header(string name)
        {
            var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
            return values.Count == 0 ? null : string.Join(',', values);
        }
    }
}
