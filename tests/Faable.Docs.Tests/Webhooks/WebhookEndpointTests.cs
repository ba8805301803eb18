// <snippet:webhooks-send-and-wait>
using Faable.Testing;                        // SendFaableWebhookAndWaitAsync
// <snippet:webhooks-signer>
using Faable.Webhooks;
using Faable.Webhooks.Events;
// </snippet:webhooks-signer>
// </snippet:webhooks-send-and-wait>
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orders;

namespace Faable.Docs.Tests.Webhooks;

/// <summary>The README's endpoint examples, against the README's Program.cs through <c>WebApplicationFactory</c>.</summary>
public sealed class WebhookEndpointTests(WebApplicationFactory<Program> root) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task SendAndWait_ReturnsOnceTheHandlerRan()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tenant = new FaableTestTenant();
        await using var factory = root.WithWebHostBuilder(b => b.UseFaableTestTenant(tenant));   // one dispatcher at a time on the shared Redis inbox
        using var client = factory.CreateClient();
        var secret = factory.Services.GetRequiredService<IConfiguration>()["Faable:Webhooks:Secret"]!;

        // <snippet:webhooks-send-and-wait>
        var delivery = new FaableWebhookSigner(secret).Sign(new UserCreated { Payload = new() { User = new() { UserId = "usr_1" } } });
        var result = await client.SendFaableWebhookAndWaitAsync(factory.Services, new Uri("/hooks/faable", UriKind.Relative), delivery, ct);
        Assert.Equal(FaableWebhookDispatchOutcome.Handled, result.Outcome);
        // </snippet:webhooks-send-and-wait>

        Assert.NotNull(factory.Services.GetRequiredService<UserStore>().Find("usr_1"));
    }

    [Fact]
    public async Task Signer_DeliveriesItSigns_AreAccepted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tenant = new FaableTestTenant();
        await using var factory = root.WithWebHostBuilder(b => b.UseFaableTestTenant(tenant));   // one dispatcher at a time on the shared Redis inbox
        using var client = factory.CreateClient();
        var secret = factory.Services.GetRequiredService<IConfiguration>()["Faable:Webhooks:Secret"]!;
        var bodyBytes = """{"id":"evt_1","type":"user.created","payload":{"user":{"user_id":"usr_3"}}}"""u8.ToArray();
        var timestampText = "1767225600000";

        // <snippet:webhooks-signer>
        var signer = new FaableWebhookSigner(secret);                  // optionally (secret, TimeProvider)
        var delivery = signer.Sign(new UserCreated
        {
            Payload = new FaableUserPayload { User = new FaableUser { UserId = "usr_1", Email = "ada@example.com" } },
        });
        using var response = await client.SendAsync(delivery.CreateRequest(new Uri("/hooks/faable", UriKind.Relative)), ct);
        var fromJson = signer.Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_2"}}""");
        var byteForByte = signer.SignBody(bodyBytes, "user.created", "evt_1", timestampText);
        // </snippet:webhooks-signer>

        Assert.Equal(202, (int)response.StatusCode);
        using var second = await client.SendAsync(fromJson.CreateRequest(new Uri("/hooks/faable", UriKind.Relative)), ct);
        Assert.Equal(202, (int)second.StatusCode);
        Assert.Equal(timestampText, byteForByte.Timestamp);
        Assert.True(new FaableWebhookVerifier(secret, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1767225600000)))
            .Verify(bodyBytes, byteForByte.ToHeaders()).IsValid);
    }
}
