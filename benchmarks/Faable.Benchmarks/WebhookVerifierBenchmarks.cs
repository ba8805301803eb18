using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Faable.Webhooks;

namespace Faable.Benchmarks;

/// <summary>
/// Verifying a delivery (timestamp window, HMAC-SHA256 over timestamp '.' body hashed in place, constant-time
/// comparison, envelope identity) against the raw cost of HMACSHA256.HashData over a pre-built signed string.
/// </summary>
[MemoryDiagnoser]
public class WebhookVerifierBenchmarks
{
    private const string Secret = "whsec_6fK2pL9qR3sT7vW1xY5zA8bC4dE0gH2j";

    private readonly byte[] _tag = new byte[32];
    private byte[] _key = [];
    private byte[] _signedString = [];
    private byte[] _body = [];
    private FaableWebhookHeaders _headers = null!;
    private FaableWebhookVerifier _verifier = null!;

    [Params(1024, 65536)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 5, 12, 10, 30, 0, 123, TimeSpan.Zero));
        var head = "{\"id\":\"evt_66f1a2b3c4d5e6f7a8b9c0d1\",\"type\":\"user.created\",\"produced_at\":\"2026-05-12T10:30:00.123Z\","
            + "\"payload\":{\"user\":{\"user_id\":\"usr_66f1a2b3c4d5e6f7a8b9c0d2\",\"email\":\"ada@example.com\",\"user_metadata\":{\"notes\":\"";
        const string tail = "\"}}}}";
        var filler = new string('x', BodyBytes - Encoding.UTF8.GetByteCount(head) - tail.Length);
        _body = Encoding.UTF8.GetBytes(head + filler + tail);
        if (_body.Length != BodyBytes)
        {
            throw new InvalidOperationException("The body has the wrong size.");
        }

        var delivery = new FaableWebhookSigner(Secret, time).SignBody(_body, "user.created", "evt_66f1a2b3c4d5e6f7a8b9c0d1");
        _headers = delivery.ToHeaders();
        _verifier = new FaableWebhookVerifier(Secret, time);
        _key = Encoding.UTF8.GetBytes(Secret);
        _signedString = [.. Encoding.ASCII.GetBytes(delivery.Timestamp + "."), .. _body];
        if (!_verifier.Verify(_body, _headers).IsValid)
        {
            throw new InvalidOperationException("The benchmark delivery does not verify.");
        }
    }

    [Benchmark(Baseline = true)]
    public byte RawHmacSha256()
    {
        HMACSHA256.HashData(_key, _signedString, _tag);
        return _tag[0];
    }

    [Benchmark]
    public bool Verify() => _verifier.Verify(_body, _headers).IsValid;

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
