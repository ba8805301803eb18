using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Faable.Webhooks.Events;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Webhooks.Tests;

public sealed partial class FaableWebhookSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 12, 10, 30, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Sign_PayloadJson_ProducesFaableEnvelopeAndHeaders()
    {
        var signer = new FaableWebhookSigner(TestSecrets.Current, new FakeTimeProvider(Now));

        var delivery = signer.Sign("user.created", "evt_1", """{"user":{"user_id":"usr_1","email":"ada@example.com"}}""");

        Assert.Equal("""{"id":"evt_1","type":"user.created","produced_at":"2026-05-12T10:30:00.123Z","payload":{"user":{"user_id":"usr_1","email":"ada@example.com"}}}""", delivery.BodyText);
        Assert.Equal("1778581800123", delivery.Timestamp);
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), delivery.Headers[FaableWebhookDefaults.TimestampHeader]);
        Assert.Equal("user.created", delivery.Headers["X-Faable-Event"]);
        Assert.Equal("evt_1", delivery.Headers["X-Faable-Delivery"]);
        Assert.Matches("^sha256=[0-9a-f]{64}$", delivery.Headers["X-Faable-Signature"]);
        Assert.Equal(4, delivery.Headers.Count);
    }

    [Fact]
    public void Sign_Signature_IsHmacOfTimestampDotBodyWithSecretBytes()
    {
        var signer = new FaableWebhookSigner(TestSecrets.Current, new FakeTimeProvider(Now));

        var delivery = signer.Sign("user.created", "evt_1", "{}");

        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestSecrets.Current), Encoding.UTF8.GetBytes(delivery.Timestamp + "." + delivery.BodyText));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(expected), delivery.Signature);
    }

    [Fact]
    public void Sign_TypedEvent_RoundTripsThroughVerifierAndJson()
    {
        var time = new FakeTimeProvider(Now);
        var signer = new FaableWebhookSigner(TestSecrets.Current, time);
        var created = new UserCreated { Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_1", Email = "ada@example.com", EmailVerified = true } } };

        var delivery = signer.Sign(created);
        var result = new FaableWebhookVerifier(TestSecrets.Current, time).Verify(delivery.Body, delivery.ToHeaders());
        using var json = JsonDocument.Parse(delivery.Body);

        Assert.True(result.IsValid);
        Assert.Matches(DeliveryIdPattern(), delivery.DeliveryId);
        Assert.Equal(delivery.DeliveryId, json.RootElement.GetProperty("id").GetString());
        Assert.Equal("user.created", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("2026-05-12T10:30:00.123Z", json.RootElement.GetProperty("produced_at").GetString());
        Assert.Equal("usr_1", json.RootElement.GetProperty("payload").GetProperty("user").GetProperty("user_id").GetString());
        Assert.True(json.RootElement.GetProperty("payload").GetProperty("user").GetProperty("email_verified").GetBoolean());
        Assert.False(json.RootElement.GetProperty("payload").GetProperty("user").TryGetProperty("name", out _));
    }

    [Fact]
    public void Sign_InvalidPayloadJson_Throws()
    {
        var signer = new FaableWebhookSigner(TestSecrets.Current);

        Assert.Throws<ArgumentException>(() => signer.Sign("user.created", "evt_1", "{not json"));
    }

    [Fact]
    public async Task CreateRequest_CarriesHeadersAndExactBody()
    {
        var signer = new FaableWebhookSigner(TestSecrets.Current, new FakeTimeProvider(Now));
        var delivery = signer.SignBody(Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"x\"}\r\n"), "x", "evt_1");

        using var request = delivery.CreateRequest(new Uri("https://api.example.com/hooks/faable"));

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(delivery.Signature, Assert.Single(request.Headers.GetValues("X-Faable-Signature")));
        Assert.Equal(delivery.Timestamp, Assert.Single(request.Headers.GetValues("X-Faable-Timestamp")));
        Assert.Equal(delivery.Body.ToArray(), await request.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void NewDeliveryId_IsUniqueAndShapedLikeFaables()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => FaableWebhookSigner.NewDeliveryId()).ToList();

        Assert.All(ids, id => Assert.Matches(DeliveryIdPattern(), id));
        Assert.Equal(100, ids.Distinct().Count());
    }

    [GeneratedRegex("^evt_[0-9a-f]{24}$")]
    private static partial Regex DeliveryIdPattern();
}
