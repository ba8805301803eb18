using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Faable.Tests.Shared;
using Faable.Webhooks;
using static Faable.Testing.Tests.LocalTenantHost;

namespace Faable.Testing.Tests;

public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "whsec_0123456789abcdef01234567";
    private const string OtherSecret = "whsec_fedcba9876543210fedcba98";
    private WebhookSubscriber _subscriber = null!;
    private WebhookSubscriber _deletesOnly = null!;
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _subscriber = await WebhookSubscriber.StartAsync();
        _deletesOnly = await WebhookSubscriber.StartAsync();
        _host = await StartAsync(o =>
        {
            o.Webhooks.Add(new FaableLocalWebhookSubscriber { Url = _subscriber.Url, Secret = Secret });
            var deletes = new FaableLocalWebhookSubscriber { Url = _deletesOnly.Url, Secret = OtherSecret };
            deletes.Events.Add("user.deleted");
            o.Webhooks.Add(deletes);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _subscriber.DisposeAsync();
        await _deletesOnly.DisposeAsync();
    }

    [Fact]
    public async Task Signup_DeliversUserCreatedThenAuthLogin_SignedPerSpec()
    {
        var callback = await _host.SignInAsync(Pkce.Create(), fields: [("connection", "database"), ("name", "Grace"), ("email", "grace@example.com")]);

        Assert.Equal("true", callback["signup"]);
        var received = _subscriber.Received.ToArray();
        Assert.Equal(["user.created", "auth.login"], received.Select(r => r.EventType).ToArray());
        var verifier = new FaableWebhookVerifier(Secret);
        foreach (var hook in received)
        {
            var result = verifier.Verify(hook.Body, hook.Headers);
            Assert.True(result.IsValid, result.ToString());
            Assert.StartsWith("evt_", hook.DeliveryId, StringComparison.Ordinal);
            Assert.StartsWith("sha256=", hook.Signature, StringComparison.Ordinal);
            Assert.Equal("application/json", hook.ContentType);
            var json = hook.Json;
            Assert.Equal(hook.EventType, json.GetProperty("type").GetString());
            Assert.Equal(hook.DeliveryId, json.GetProperty("id").GetString());
            Assert.Equal("grace@example.com", json.GetProperty("payload").GetProperty("user").GetProperty("email").GetString());
            Assert.StartsWith("user_", json.GetProperty("payload").GetProperty("user").GetProperty("user_id").GetString(), StringComparison.Ordinal);
        }

        Assert.NotEqual(received[0].DeliveryId, received[1].DeliveryId);
        Assert.Empty(_deletesOnly.Received);
    }

    [Fact]
    public async Task Delivery_WrongSecret_DoesNotVerify()
    {
        await _host.SignInAsync(Pkce.Create());

        var hook = Assert.Single(_subscriber.Received);
        Assert.False(new FaableWebhookVerifier(OtherSecret).Verify(hook.Body, hook.Headers).IsValid);
    }

    [Fact]
    public async Task SendWebhookAsync_AnyEvent_GoesOnlyToItsSubscribers()
    {
        var payload = new JsonObject { ["user"] = new JsonObject { ["user_id"] = KnownUserId } };

        var deliveries = await _host.Tenant.SendWebhookAsync("user.deleted", payload, TestContext.Current.CancellationToken);

        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.True(d.Succeeded, d.Error));
        var hook = Assert.Single(_deletesOnly.Received);
        Assert.True(new FaableWebhookVerifier(OtherSecret).Verify(hook.Body, hook.Headers).IsValid);
        Assert.Equal(KnownUserId, hook.Json.GetProperty("payload").GetProperty("user").GetProperty("user_id").GetString());
        Assert.Equal(deliveries.Select(d => d.DeliveryId).Distinct().Single(), hook.DeliveryId);
    }

    [Fact]
    public async Task SendEndpoint_KnownUser_DeliversCurrentProfile()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/dev/webhooks/send")
        {
            Content = new StringContent($$"""{"type":"user.updated","user_id":"{{KnownUserId}}"}""", Encoding.UTF8, "application/json"),
        };

        var (status, body, _) = await _host.SendJsonAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(204, body.GetProperty("deliveries")[0].GetProperty("status").GetInt32());
        var hook = Assert.Single(_subscriber.Received);
        Assert.Equal("user.updated", hook.EventType);
        Assert.Equal("ada@example.com", hook.Json.GetProperty("payload").GetProperty("user").GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("{}", "send_request_invalid")]
    [InlineData("{\"type\":\"user.updated\"}", "send_request_invalid")]
    [InlineData("{\"type\":\"user.updated\",\"user_id\":\"user_nope\"}", "send_unknown_user")]
    [InlineData("not json", "send_request_invalid")]
    public async Task SendEndpoint_BadRequest_AnswersTheDocumentedProblem(string json, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/dev/webhooks/send") { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemDocument.AssertAnswerAsync(response, "Faable.Testing", reason);
        Assert.Equal("invalid_request", problem.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Empty(_subscriber.Received);
    }

    [Fact]
    public async Task SendEndpoint_BodyOverLimit_Answers413Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/dev/webhooks/send")
        {
            Content = new StringContent("{\"type\":\"user.updated\",\"payload\":{\"pad\":\"" + new string('a', 70 * 1024) + "\"}}", Encoding.UTF8, "application/json"),
        };

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ProblemDocument.AssertAnswerAsync(response, "Faable.Testing", "send_body_too_large");
        Assert.Empty(_subscriber.Received);
    }

    [Fact]
    public async Task SendEndpoint_ChunkedBodyOverLimit_Answers413Problem()
    {
        // No Content-Length: only the bounded read can hold this body to the limit.
        var json = "{\"type\":\"user.updated\",\"payload\":{\"pad\":\"" + new string('a', 70 * 1024) + "\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/dev/webhooks/send") { Content = new UnsizedContent(Encoding.UTF8.GetBytes(json)) };

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ProblemDocument.AssertAnswerAsync(response, "Faable.Testing", "send_body_too_large");
        Assert.Empty(_subscriber.Received);
    }

    [Fact]
    public async Task SendEndpoint_ChunkedBodyWithinLimit_IsSent()
    {
        var json = "{\"type\":\"user.updated\",\"payload\":{\"user\":{\"user_id\":\"user_chunked\"}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "_faable/dev/webhooks/send") { Content = new UnsizedContent(Encoding.UTF8.GetBytes(json)) };

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_subscriber.Received);
    }

    [Fact]
    public async Task Delivery_SubscriberAnswers500_RecordedAsFailedWithoutRetry()
    {
        _subscriber.StatusCode = 500;

        var deliveries = await _host.Tenant.SendWebhookAsync("user.updated", new JsonObject { ["user"] = new JsonObject { ["user_id"] = "user_1" } }, TestContext.Current.CancellationToken);

        var delivery = Assert.Single(deliveries);
        Assert.False(delivery.Succeeded);
        Assert.Equal(500, delivery.StatusCode);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(_subscriber.Received);
        Assert.Contains(delivery, _host.Tenant.WebhookDeliveries);
    }

    [Fact]
    public async Task Delivery_SubscriberSlowerThanFiveSeconds_TimesOut()
    {
        _subscriber.Delay = TimeSpan.FromSeconds(8);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var deliveries = await _host.Tenant.SendWebhookAsync("user.updated", new JsonObject { ["user"] = new JsonObject { ["user_id"] = "user_1" } }, TestContext.Current.CancellationToken);

        var delivery = Assert.Single(deliveries);
        Assert.False(delivery.Succeeded);
        Assert.Null(delivery.StatusCode);
        Assert.Contains("5 seconds", delivery.Error, StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(7.5));
    }

    [Fact]
    public async Task Delivery_SubscriberUnreachable_RecordedAsFailed()
    {
        await using var host = await StartAsync(o => o.Webhooks.Add(new FaableLocalWebhookSubscriber { Url = "http://127.0.0.1:9/hooks", Secret = Secret }));

        var deliveries = await host.Tenant.SendWebhookAsync("user.updated", new JsonObject(), TestContext.Current.CancellationToken);

        var delivery = Assert.Single(deliveries);
        Assert.False(delivery.Succeeded);
        Assert.Contains("Connection", delivery.Error, StringComparison.Ordinal);
    }
}

/// <summary>A body that announces no length, so the client sends it chunked.</summary>
internal sealed class UnsizedContent(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
