using System.Net;
using Faable.Tests.Shared;
using Faable.Webhooks.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Webhooks.Tests;

/// <summary>The endpoint behind real Kestrel on 127.0.0.1, reached over real sockets.</summary>
public sealed class KestrelEndpointTests : IAsyncLifetime
{
    private readonly DeliveryLog _log = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_log);
        builder.Services.AddFaableWebhooks(o =>
            {
                o.Secret = TestSecrets.Current;
                o.MaxBodyBytes = 2048;
            })
            .AddHandler<UserCreated>((e, sp, ct) =>
            {
                sp.GetRequiredService<DeliveryLog>().Add(e.Id + ":" + e.User.Email);
                return Task.CompletedTask;
            });
        _app = builder.Build();
        _app.MapFaableWebhooks("/hooks/faable");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _log.Dispose();
    }

    [Fact]
    public async Task Kestrel_SignedDelivery_IsAcceptedAndDispatched()
    {
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1","email":"ada@example.com"}}""");

        using var response = await _client.SendAsync(delivery.CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);
        await _log.WaitForAsync(e => e.Count == 1);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(delivery.DeliveryId + ":ada@example.com", Assert.Single(_log.Entries));
    }

    [Fact]
    public async Task Kestrel_BodyOverLimit_Answers413WithReason()
    {
        var big = "{\"user\":{\"user_id\":\"usr_1\",\"name\":\"" + new string('a', 4096) + "\"}}";
        var delivery = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), big);

        using var response = await _client.SendAsync(delivery.CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ProblemDocument.AssertAnswerAsync(response, "Faable.Webhooks", "body_too_large");
    }

    [Fact]
    public async Task Kestrel_BadSignature_Answers401ProblemJson()
    {
        var delivery = new FaableWebhookSigner(TestSecrets.Other).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}""");

        using var response = await _client.SendAsync(delivery.CreateRequest(WebhookApp.Endpoint), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ProblemDocument.AssertAnswerAsync(response, "Faable.Webhooks", "signature_mismatch");
        Assert.Equal("urn:faable:problem:signature_mismatch", problem.GetProperty("type").GetString());
        Assert.Equal("invalid_signature", problem.GetProperty("error").GetString());
    }
}
