using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Webhooks.Tests;

public sealed class FaableWebhookVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_778_581_800_123);

    private readonly FakeTimeProvider _time = new(Now);

    public static TheoryData<string> KnownAnswerNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in LoadKnownAnswers())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KnownAnswerNames))]
    public void Verify_OpenSslKnownAnswer_MatchesExpectation(string name)
    {
        var vector = LoadKnownAnswers().Single(c => c.GetProperty("name").GetString() == name);
        var secret = vector.GetProperty("secret").GetString()!;
        var timestamp = vector.GetProperty("timestamp").GetString()!;
        var body = Convert.FromBase64String(vector.GetProperty("body_base64").GetString()!);
        var signature = vector.GetProperty("signature").GetString()!;
        var valid = vector.GetProperty("valid").GetBoolean();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(timestamp, CultureInfo.InvariantCulture)));
        var verifier = new FaableWebhookVerifier(secret, time);
        var (id, type) = ReadIdentity(body);

        var result = verifier.Verify(body, new FaableWebhookHeaders(timestamp, signature, type, id));

        if (valid)
        {
            Assert.True(result.IsValid, result.ToString());
            Assert.Equal("default", result.MatchedSecretId);
            Assert.Equal(signature, new FaableWebhookSigner(secret, time).ComputeSignature(timestamp, body));
        }
        else
        {
            Assert.Equal(FaableWebhookFailureReason.SignatureMismatch, result.FailureReason);
            Assert.Null(result.MatchedSecretId);
        }
    }

    [Fact]
    public void Verify_KnownAnswerFile_HasPositiveAndNegativeCases()
    {
        var cases = LoadKnownAnswers();
        Assert.Contains(cases, c => c.GetProperty("valid").GetBoolean());
        Assert.Contains(cases, c => !c.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public void Verify_ValidDelivery_ReportsSafeDiagnostics()
    {
        var delivery = Sign(TestSecrets.Current);
        _time.Advance(TimeSpan.FromMilliseconds(1500));

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders());

        Assert.True(result.IsValid);
        Assert.Equal(FaableWebhookFailureReason.None, result.FailureReason);
        Assert.Equal(1500, result.ClockSkewMilliseconds);
        Assert.Equal(delivery.Body.Length, result.BodyLength);
        Assert.Equal("current", result.MatchedSecretId);
        Assert.Equal(delivery.DeliveryId, result.DeliveryId);
        Assert.Equal("user.created", result.EventType);
        Assert.DoesNotContain(TestSecrets.Current, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(delivery.Signature[7..], result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedWithPreviousSecret_NamesThePreviousSecret()
    {
        var delivery = Sign(TestSecrets.Previous);

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders());

        Assert.True(result.IsValid);
        Assert.Equal("previous", result.MatchedSecretId);
    }

    [Fact]
    public void Verify_SignedWithUnknownSecret_ReturnsSignatureMismatch()
    {
        var delivery = Sign(TestSecrets.Other);

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders());

        Assert.Equal(FaableWebhookFailureReason.SignatureMismatch, result.FailureReason);
        Assert.Null(result.MatchedSecretId);
    }

    [Theory]
    [InlineData(-300_000, true)]
    [InlineData(-300_001, false)]
    [InlineData(300_000, true)]
    [InlineData(300_001, false)]
    public void Verify_TimestampAtToleranceEdge_AcceptsInsideOnly(long offsetMs, bool expectedValid)
    {
        var delivery = Sign(TestSecrets.Current, Now.AddMilliseconds(offsetMs));

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders());

        Assert.Equal(expectedValid, result.IsValid);
        if (!expectedValid)
        {
            Assert.Equal(offsetMs < 0 ? FaableWebhookFailureReason.TimestampTooOld : FaableWebhookFailureReason.TimestampInFuture, result.FailureReason);
            Assert.Equal(-offsetMs, result.ClockSkewMilliseconds);
        }
    }

    [Fact]
    public void Verify_SeparateTolerances_ApplyEachWay()
    {
        var verifier = new FaableWebhookVerifier([new FaableWebhookSecret("current", TestSecrets.Current)], TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), _time);
        var old = Sign(TestSecrets.Current, Now.AddMinutes(-9));
        var future = Sign(TestSecrets.Current, Now.AddSeconds(31));

        Assert.True(verifier.Verify(old.Body, old.ToHeaders()).IsValid);
        Assert.Equal(FaableWebhookFailureReason.TimestampInFuture, verifier.Verify(future.Body, future.ToHeaders()).FailureReason);
    }

    [Theory]
    [InlineData(null, FaableWebhookFailureReason.MissingTimestamp)]
    [InlineData("", FaableWebhookFailureReason.MissingTimestamp)]
    [InlineData("abc", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("-1778581800123", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("+1778581800123", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData(" 1778581800123", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("01778581800123", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("1778581800123.5", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("1.778581800123e12", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("99999999999999999999999", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("１７７８５８１８００１２３", FaableWebhookFailureReason.MalformedTimestamp)]
    [InlineData("1778581800", FaableWebhookFailureReason.TimestampInSeconds)]
    [InlineData("99999999999", FaableWebhookFailureReason.TimestampInSeconds)]
    public void Verify_BadTimestamp_NamesTheCheck(string? timestamp, FaableWebhookFailureReason expected)
    {
        var signer = new FaableWebhookSigner(TestSecrets.Current, _time);
        var body = Body("evt_1", "user.created");
        var delivery = signer.SignBody(body, "user.created", "evt_1", timestamp ?? "x");

        var result = Verifier().Verify(body, delivery.ToHeaders() with { Timestamp = timestamp });

        Assert.Equal(expected, result.FailureReason);
    }

    [Theory]
    [InlineData(null, FaableWebhookFailureReason.MissingSignature)]
    [InlineData("", FaableWebhookFailureReason.MissingSignature)]
    [InlineData("no-prefix", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("upper", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("SHA256=", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("short", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("long", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("trailing-junk", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("two-equals", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("non-hex", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("sha1", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("two-signatures", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("space", FaableWebhookFailureReason.MalformedSignature)]
    [InlineData("flipped-bit", FaableWebhookFailureReason.SignatureMismatch)]
    public void Verify_BadSignature_NamesTheCheck(string? variant, FaableWebhookFailureReason expected)
    {
        var delivery = Sign(TestSecrets.Current);
        var hex = delivery.Signature["sha256=".Length..];
        var signature = variant switch
        {
            null or "" => variant,
            "no-prefix" => hex,
            "upper" => "sha256=" + hex.ToUpperInvariant(),
            "SHA256=" => "SHA256=" + hex,
            "short" => "sha256=" + hex[..63],
            "long" => "sha256=" + hex + "0",
            "trailing-junk" => delivery.Signature + "zz",
            "two-equals" => "sha256==" + hex[..63],
            "non-hex" => "sha256=" + hex[..62] + "g0",
            "sha1" => "sha1=" + hex,
            "two-signatures" => delivery.Signature + "," + delivery.Signature,
            "space" => "sha256= " + hex[..63],
            "flipped-bit" => "sha256=" + hex[..63] + (hex[63] == '0' ? '1' : '0'),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders() with { Signature = signature });

        Assert.Equal(expected, result.FailureReason);
    }

    [Fact]
    public void Verify_SignatureOfOtherTimestamp_ReturnsSignatureMismatch()
    {
        var delivery = Sign(TestSecrets.Current);
        var later = Sign(TestSecrets.Current, Now.AddSeconds(1));

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders() with { Timestamp = later.Timestamp });

        Assert.Equal(FaableWebhookFailureReason.SignatureMismatch, result.FailureReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"evt_1\"")]
    [InlineData("{\"type\":\"user.created\"}")]
    [InlineData("{\"id\":\"evt_1\"}")]
    [InlineData("{\"id\":1,\"type\":\"user.created\"}")]
    [InlineData("{\"id\":\"\",\"type\":\"user.created\"}")]
    [InlineData("{\"id\":\"evt 1\",\"type\":\"user.created\"}")]
    [InlineData("{\"id\":\"evt_1\",\"id\":\"evt_2\",\"type\":\"user.created\"}")]
    [InlineData("{\"id\":\"evt_1\",\"type\":\"user.created\"")]
    [InlineData("\uFEFF{\"id\":\"evt_1\",\"type\":\"user.created\"}")]
    public void Verify_SignedBodyWithoutIdentity_ReturnsMalformedBody(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var delivery = new FaableWebhookSigner(TestSecrets.Current, _time).SignBody(body, "user.created", "evt_1");

        var result = Verifier().Verify(body, delivery.ToHeaders(), wholeDocument: true);

        Assert.Equal(FaableWebhookFailureReason.MalformedBody, result.FailureReason);
        Assert.Equal("current", result.MatchedSecretId);
    }

    public static TheoryData<string, byte[]> InvalidUtf8Bodies() => new()
    {
        { "lone continuation byte in id", Utf8WithRaw("{\"id\":\"evt_\u0001\",\"type\":\"user.created\"}", 0x80) },
        { "truncated sequence in id", Utf8WithRaw("{\"id\":\"evt_\u0001\",\"type\":\"user.created\"}", 0xE2, 0x82) },
        { "overlong encoding in type", Utf8WithRaw("{\"id\":\"evt_1\",\"type\":\"user.\u0001\"}", 0xC0, 0xAE) },
        { "escaped lone surrogate in id", Encoding.UTF8.GetBytes("{\"id\":\"evt_\\ud800\",\"type\":\"user.created\"}") },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Bodies))]
    public void Verify_SignedBodyWithInvalidUtf8InIdentity_ReturnsMalformedBody(string name, byte[] body)
    {
        var delivery = new FaableWebhookSigner(TestSecrets.Current, _time).SignBody(body, "user.created", "evt_1");

        var publicResult = Verifier().Verify(body, delivery.ToHeaders());
        var endpointResult = Verifier().Verify(body, delivery.ToHeaders(), wholeDocument: true);

        Assert.True(publicResult.FailureReason == FaableWebhookFailureReason.MalformedBody, name + ": " + publicResult);
        Assert.Equal(FaableWebhookFailureReason.MalformedBody, endpointResult.FailureReason);
    }

    [Theory]
    [InlineData("{\"id\":\"evt_1\",\"type\":\"user.created\",\"payload\":{\"user\":{\"user_id\":\"usr_\u0001\"}}}")]
    [InlineData("{\"\u0001\":1,\"id\":\"evt_1\",\"type\":\"user.created\"}")]
    public void Verify_WholeDocumentWithInvalidUtf8OutsideIdentity_ReturnsMalformedBody(string json)
    {
        // RFC 8259 §8.1: JSON exchanged between systems is UTF-8. The endpoint refuses a body that is not, even where
        // the identity reads cleanly, so no handler is handed bytes it cannot read; the public overload, which reads
        // only the identity, accepts it.
        var body = Utf8WithRaw(json, 0xFE);
        var delivery = new FaableWebhookSigner(TestSecrets.Current, _time).SignBody(body, "user.created", "evt_1");

        Assert.True(Verifier().Verify(body, delivery.ToHeaders()).IsValid);
        Assert.Equal(FaableWebhookFailureReason.MalformedBody, Verifier().Verify(body, delivery.ToHeaders(), wholeDocument: true).FailureReason);
    }

    [Fact]
    public void Verify_PublicOverload_StopsReadingOnceIdentityIsKnown()
    {
        // The endpoint reads the whole document; the public overload reads only as far as id and type, so verifying
        // a large body costs little more than its HMAC. Broken JSON after the identity is caught by the endpoint.
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"user.created\",\"payload\":{");
        var delivery = new FaableWebhookSigner(TestSecrets.Current, _time).SignBody(body, "user.created", "evt_1");

        Assert.True(Verifier().Verify(body, delivery.ToHeaders()).IsValid);
        Assert.Equal(FaableWebhookFailureReason.MalformedBody, Verifier().Verify(body, delivery.ToHeaders(), wholeDocument: true).FailureReason);
    }

    [Fact]
    public void Verify_HeadersDisagreeWithBody_NamesTheHeader()
    {
        var delivery = Sign(TestSecrets.Current);
        var verifier = Verifier();

        Assert.Equal(FaableWebhookFailureReason.EventTypeMismatch, verifier.Verify(delivery.Body, delivery.ToHeaders() with { EventType = "user.deleted" }).FailureReason);
        Assert.Equal(FaableWebhookFailureReason.DeliveryIdMismatch, verifier.Verify(delivery.Body, delivery.ToHeaders() with { DeliveryId = "evt_other" }).FailureReason);
        Assert.Equal(FaableWebhookFailureReason.MissingEventType, verifier.Verify(delivery.Body, delivery.ToHeaders() with { EventType = null }).FailureReason);
        Assert.Equal(FaableWebhookFailureReason.MissingDeliveryId, verifier.Verify(delivery.Body, delivery.ToHeaders() with { DeliveryId = "" }).FailureReason);
    }

    [Fact]
    public void Verify_UnsignedRequestWithoutEventHeader_ReportsTheSignatureFirst()
    {
        var delivery = Sign(TestSecrets.Other);

        var result = Verifier().Verify(delivery.Body, delivery.ToHeaders() with { EventType = null });

        Assert.Equal(FaableWebhookFailureReason.SignatureMismatch, result.FailureReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short_secret")]
    [InlineData(" whsec_leading_space_0000")]
    [InlineData("whsec_trailing_newline_00\n")]
    public void Constructor_InvalidSecret_Throws(string secret)
    {
        Assert.Throws<ArgumentException>(() => new FaableWebhookVerifier(secret));
        Assert.Throws<ArgumentException>(() => new FaableWebhookSigner(secret));
    }

    [Fact]
    public void Constructor_DuplicateSecretIds_Throws()
    {
        var secrets = new[] { new FaableWebhookSecret("a", TestSecrets.Current), new FaableWebhookSecret("a", TestSecrets.Previous) };

        Assert.Throws<ArgumentException>(() => new FaableWebhookVerifier(secrets, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), _time));
    }

    [Fact]
    public void Secret_ToString_ShowsIdOnly()
    {
        var secret = new FaableWebhookSecret("current", TestSecrets.Current);

        Assert.Equal("current", secret.ToString());
    }

    [Fact]
    public void Verify_SecretIsNotBase64Decoded()
    {
        // "whsec_" + base64: a receiver that base64-decodes the part after the prefix computes a different key.
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var delivery = new FaableWebhookSigner(secret, _time).Sign("user.created", "evt_b64", """{"user":{"user_id":"usr_1"}}""");
        var decodedKeySigner = Convert.FromBase64String(secret["whsec_".Length..]);
        var wrong = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(decodedKeySigner, (byte[])[.. Encoding.ASCII.GetBytes(delivery.Timestamp + "."), .. delivery.Body.Span]));

        var verifier = new FaableWebhookVerifier(secret, _time);

        Assert.True(verifier.Verify(delivery.Body, delivery.ToHeaders()).IsValid);
        Assert.Equal(FaableWebhookFailureReason.SignatureMismatch, verifier.Verify(delivery.Body, delivery.ToHeaders() with { Signature = wrong }).FailureReason);
    }

    [Fact]
    public void Headers_From_JoinsRepeatedValuesAndMatchesNamesCaseInsensitively()
    {
        var headers = FaableWebhookHeaders.From(
        [
            new("x-faable-timestamp", ["1"]),
            new("X-FAABLE-SIGNATURE", ["a", "b"]),
            new("X-Faable-Event", ["user.created"]),
            new("Content-Type", ["application/json"]),
        ]);

        Assert.Equal("1", headers.Timestamp);
        Assert.Equal("a,b", headers.Signature);
        Assert.Equal("user.created", headers.EventType);
        Assert.Null(headers.DeliveryId);
    }

    private static JsonElement[] LoadKnownAnswers()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(TestPaths.LocalVector("known-answers.json")));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The UTF-8 of <paramref name="json"/> with its one U+0001 replaced by the raw bytes given.</summary>
    private static byte[] Utf8WithRaw(string json, params byte[] raw)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Array.IndexOf(bytes, (byte)1);
        return [.. bytes[..at], .. raw, .. bytes[(at + 1)..]];
    }

    private static (string Id, string Type) ReadIdentity(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return (document.RootElement.GetProperty("id").GetString()!, document.RootElement.GetProperty("type").GetString()!);
    }

    private static byte[] Body(string id, string type) =>
        Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"produced_at\":\"2026-05-12T10:30:00.123Z\",\"payload\":{\"user\":{\"user_id\":\"usr_1\"}}}");

    private FaableWebhookVerifier Verifier()
    {
        var options = new FaableWebhookOptions();
        options.Secrets["current"] = TestSecrets.Current;
        options.Secrets["previous"] = TestSecrets.Previous;
        return new FaableWebhookVerifier(options, _time);
    }

    private static FaableWebhookSignedDelivery Sign(string secret, DateTimeOffset? at = null)
    {
        var time = new FakeTimeProvider(at ?? Now);
        return new FaableWebhookSigner(secret, time).Sign("user.created", "evt_" + Guid.NewGuid().ToString("N")[..24], """{"user":{"user_id":"usr_1","email":"ada@example.com"}}""");
    }
}
