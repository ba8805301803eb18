using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Faable.Webhooks.Tests;

public sealed class WebhookLoggingTests
{
    [Fact]
    public async Task Logs_NeverContainSecretsOrSignatures_AndUseWebhookEventIds()
    {
        await using var app = await WebhookApp.StartAsync(
            b => b.AddHandler<UserCreated>((e, sp, ct) => throw new InvalidOperationException("handler failed")),
            o => o.MaxAttempts = 1,
            s => s.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging());
        var collector = app.Services.GetFakeLogCollector();
        var good = new FaableWebhookSigner(TestSecrets.Current).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}""");
        var bad = new FaableWebhookSigner(TestSecrets.Other).Sign("user.created", FaableWebhookSigner.NewDeliveryId(), """{"user":{"user_id":"usr_1"}}""");

        (await app.SendAsync(good)).Dispose();
        (await app.SendAsync(good)).Dispose();
        (await app.SendAsync(bad)).Dispose();
        await WebhookDispatchTests.WaitUntilAsync(() => Task.FromResult(collector.GetSnapshot().Any(r => r.Id.Id == 2012)));

        var records = collector.GetSnapshot().Where(r => r.Category?.StartsWith("Faable.Webhooks", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(records, r => r.Id.Id == 2003);
        Assert.Contains(records, r => r.Id.Id == 2004);
        Assert.Contains(records, r => r.Id.Id == 2001 && r.Message.Contains("SignatureMismatch", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Id.Id == 2012);
        Assert.All(records, r => Assert.InRange(r.Id.Id, 2000, 2999));
        foreach (var text in records.Select(r => r.Message + r.Exception))
        {
            Assert.DoesNotContain(TestSecrets.Current, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestSecrets.Other, text, StringComparison.Ordinal);
            Assert.DoesNotContain(good.Signature[7..], text, StringComparison.Ordinal);
            Assert.DoesNotContain(bad.Signature[7..], text, StringComparison.Ordinal);
        }
    }
}
