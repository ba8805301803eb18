using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Faable.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Webhooks.Tests;

/// <summary>Hostile and broken deliveries against the real endpoint: each asserts the status and the reason.</summary>
public sealed class HostileDeliveryTests : IAsyncLifetime
{
    private const string Payload = """{"user":{"user_id":"usr_1","email":"ada@example.com"}}""";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private WebhookApp _app = null!;

    public static TheoryData<string, int, string> Cases() => new()
    {
        { "stale timestamp", 401, "timestamp_too_old" },
        { "future timestamp", 401, "timestamp_in_future" },
        { "seconds timestamp", 401, "timestamp_in_seconds" },
        { "non-numeric timestamp", 401, "malformed_timestamp" },
        { "negative timestamp", 401, "malformed_timestamp" },
        { "timestamp with leading zero", 401, "malformed_timestamp" },
        { "signature without sha256=", 401, "malformed_signature" },
        { "uppercase hex", 401, "malformed_signature" },
        { "signature one char short", 401, "malformed_signature" },
        { "signature one char long", 401, "malformed_signature" },
        { "two = after sha256", 401, "malformed_signature" },
        { "signature with trailing junk", 401, "malformed_signature" },
        { "signature header sent twice", 401, "malformed_signature" },
        { "re-serialized json body", 401, "signature_mismatch" },
        { "utf-8 bom prepended", 401, "signature_mismatch" },
        { "crlf changed to lf", 401, "signature_mismatch" },
        { "wrong secret", 401, "signature_mismatch" },
        { "timestamp swapped for another signed one", 401, "signature_mismatch" },
        { "missing timestamp header", 401, "missing_timestamp" },
        { "missing signature header", 401, "missing_signature" },
        { "missing event header", 400, "missing_event_type" },
        { "missing delivery header", 400, "missing_delivery_id" },
        { "event header differs from body type", 400, "event_type_mismatch" },
        { "delivery header differs from body id", 400, "delivery_id_mismatch" },
        { "empty body", 400, "malformed_body" },
        { "signed body with utf-8 bom", 400, "malformed_body" },
        { "signed truncated json", 400, "malformed_body" },
        { "signed json array", 400, "malformed_body" },
        { "signed body repeating id after payload", 400, "malformed_body" },
        { "body over the limit with content-length", 413, "body_too_large" },
        { "body over the limit without content-length", 413, "body_too_large" },
    };

    public async ValueTask InitializeAsync() =>
        _app = await WebhookApp.StartAsync(configure: o => o.MaxBodyBytes = 4096);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_HostileDelivery_IsRejectedWithReason(string name, int status, string reason)
    {
        using var request = Build(name);

        using var response = await _app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        await ProblemDocument.AssertAnswerAsync(response, "Faable.Webhooks", reason);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Empty(_app.Log.Entries);
        Assert.Equal(0, await _app.Services.GetRequiredService<IFaableWebhookInbox>().GetBacklogAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Cases_AreAtLeastTwentyFive() => Assert.True(Cases().Count >= 25);

    [Fact]
    public async Task Endpoint_ReplayedDeliveryId_IsAcknowledgedAsDuplicate()
    {
        var delivery = Signer().Sign("user.created", FaableWebhookSigner.NewDeliveryId(), Payload);

        using var first = await _app.SendAsync(delivery);
        using var second = await _app.SendAsync(delivery);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("duplicate", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Endpoint_ReplayedIdWithFreshSignature_IsAcknowledgedAsDuplicate()
    {
        var id = FaableWebhookSigner.NewDeliveryId();

        using var first = await _app.SendAsync(Signer().Sign("user.created", id, Payload));
        using var second = await _app.SendAsync(Signer().Sign("user.created", id, """{"user":{"user_id":"usr_evil"}}"""));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Endpoint_UnknownEventType_IsAccepted()
    {
        var delivery = Signer().Sign("organization.created", FaableWebhookSigner.NewDeliveryId(), """{"organization":{"id":"org_1"}}""");

        using var response = await _app.SendAsync(delivery);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("accepted", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(delivery.DeliveryId, body.RootElement.GetProperty("delivery_id").GetString());
    }

    [Fact]
    public async Task Endpoint_Get_IsNotAllowed()
    {
        using var response = await _app.Client.GetAsync(WebhookApp.Endpoint, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static FaableWebhookSigner Signer(TimeSpan? offset = null, string secret = TestSecrets.Current)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow() + (offset ?? TimeSpan.Zero));
        return new FaableWebhookSigner(secret, time);
    }

    private static HttpRequestMessage Build(string name)
    {
        var id = FaableWebhookSigner.NewDeliveryId();
        var valid = Signer().Sign("user.created", id, Payload);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hex = valid.Signature["sha256=".Length..];
        var crlfBody = Encoding.UTF8.GetBytes("{\r\n\"id\":\"" + id + "\",\r\n\"type\":\"user.created\",\r\n\"payload\":" + Payload + "}\r\n");
        return name switch
        {
            "stale timestamp" => Signer(TimeSpan.FromMinutes(-6)).Sign("user.created", id, Payload).CreateRequest(WebhookApp.Endpoint),
            "future timestamp" => Signer(TimeSpan.FromMinutes(6)).Sign("user.created", id, Payload).CreateRequest(WebhookApp.Endpoint),
            "seconds timestamp" => Signer().SignBody(valid.Body, "user.created", id, now[..^3]).CreateRequest(WebhookApp.Endpoint),
            "non-numeric timestamp" => Signer().SignBody(valid.Body, "user.created", id, "yesterday").CreateRequest(WebhookApp.Endpoint),
            "negative timestamp" => Signer().SignBody(valid.Body, "user.created", id, "-" + now).CreateRequest(WebhookApp.Endpoint),
            "timestamp with leading zero" => Signer().SignBody(valid.Body, "user.created", id, "0" + now).CreateRequest(WebhookApp.Endpoint),
            "signature without sha256=" => WithHeader(valid, FaableWebhookDefaults.SignatureHeader, hex),
            "uppercase hex" => WithHeader(valid, FaableWebhookDefaults.SignatureHeader, "sha256=" + hex.ToUpperInvariant()),
            "signature one char short" => WithHeader(valid, FaableWebhookDefaults.SignatureHeader, valid.Signature[..^1]),
            "signature one char long" => WithHeader(valid, FaableWebhookDefaults.SignatureHeader, valid.Signature + "a"),
            "two = after sha256" => WithHeader(valid, FaableWebhookDefaults.SignatureHeader, "sha256==" + hex[1..]),
            "signature with trailing junk" => WithHeader(valid, FaableWebhookDefaults.SignatureHeader, valid.Signature + "!!"),
            "signature header sent twice" => AddHeader(valid, FaableWebhookDefaults.SignatureHeader, valid.Signature),
            "re-serialized json body" => WithBody(valid, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(JsonDocument.Parse(valid.Body).RootElement, Indented))),
            "utf-8 bom prepended" => WithBody(valid, [0xEF, 0xBB, 0xBF, .. valid.Body.Span]),
            "crlf changed to lf" => WithBody(Signer().SignBody(crlfBody, "user.created", id), Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(crlfBody).Replace("\r\n", "\n", StringComparison.Ordinal))),
            "wrong secret" => Signer(secret: TestSecrets.Other).Sign("user.created", id, Payload).CreateRequest(WebhookApp.Endpoint),
            "timestamp swapped for another signed one" => WithHeader(valid, FaableWebhookDefaults.TimestampHeader, Signer(TimeSpan.FromSeconds(2)).Sign("user.created", id, Payload).Timestamp),
            "missing timestamp header" => WithoutHeader(valid, FaableWebhookDefaults.TimestampHeader),
            "missing signature header" => WithoutHeader(valid, FaableWebhookDefaults.SignatureHeader),
            "missing event header" => WithoutHeader(valid, FaableWebhookDefaults.EventHeader),
            "missing delivery header" => WithoutHeader(valid, FaableWebhookDefaults.DeliveryHeader),
            "event header differs from body type" => WithHeader(valid, FaableWebhookDefaults.EventHeader, "user.deleted"),
            "delivery header differs from body id" => WithHeader(valid, FaableWebhookDefaults.DeliveryHeader, "evt_someone_else"),
            "empty body" => Signer().SignBody(Array.Empty<byte>(), "user.created", id).CreateRequest(WebhookApp.Endpoint),
            "signed body with utf-8 bom" => Signer().SignBody((byte[])[0xEF, 0xBB, 0xBF, .. valid.Body.Span], "user.created", id).CreateRequest(WebhookApp.Endpoint),
            "signed truncated json" => Signer().SignBody(valid.Body[..^1], "user.created", id).CreateRequest(WebhookApp.Endpoint),
            "signed json array" => Signer().SignBody(Encoding.UTF8.GetBytes("[" + valid.BodyText + "]"), "user.created", id).CreateRequest(WebhookApp.Endpoint),
            "signed body repeating id after payload" => Signer().SignBody(Encoding.UTF8.GetBytes(valid.BodyText[..^1] + ",\"id\":\"evt_other\"}"), "user.created", id).CreateRequest(WebhookApp.Endpoint),
            "body over the limit with content-length" => Signer().Sign("user.created", id, Oversized()).CreateRequest(WebhookApp.Endpoint),
            "body over the limit without content-length" => WithoutLength(Signer().Sign("user.created", id, Oversized())),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case."),
        };
    }

    private static string Oversized() => "{\"user\":{\"user_id\":\"usr_1\",\"name\":\"" + new string('a', 5000) + "\"}}";

    private static HttpRequestMessage WithHeader(FaableWebhookSignedDelivery delivery, string name, string value)
    {
        var request = delivery.CreateRequest(WebhookApp.Endpoint);
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static HttpRequestMessage AddHeader(FaableWebhookSignedDelivery delivery, string name, string value)
    {
        var request = delivery.CreateRequest(WebhookApp.Endpoint);
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static HttpRequestMessage WithoutHeader(FaableWebhookSignedDelivery delivery, string name)
    {
        var request = delivery.CreateRequest(WebhookApp.Endpoint);
        request.Headers.Remove(name);
        return request;
    }

    private static HttpRequestMessage WithBody(FaableWebhookSignedDelivery delivery, byte[] body)
    {
        var request = delivery.CreateRequest(WebhookApp.Endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    private static HttpRequestMessage WithoutLength(FaableWebhookSignedDelivery delivery)
    {
        var request = delivery.CreateRequest(WebhookApp.Endpoint);
        request.Content = new StreamContent(new ForwardOnlyStream(delivery.Body.ToArray()));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Null(request.Content.Headers.ContentLength);
        return request;
    }
}
