using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Testing.Tests;

/// <summary>A real HTTP webhook receiver on 127.0.0.1 that records every request's raw body and headers.</summary>
internal sealed class WebhookSubscriber : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookSubscriber(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int StatusCode { get; set; } = StatusCodes.Status204NoContent;

    public TimeSpan Delay { get; set; }

    public static async Task<WebhookSubscriber> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookSubscriber? self = null;
        app.MapPost("/hooks/faable", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            self!.Received.Enqueue(new ReceivedWebhook(
                buffer.ToArray(),
                context.Request.Headers["X-Faable-Event"].ToString(),
                context.Request.Headers["X-Faable-Delivery"].ToString(),
                context.Request.Headers["X-Faable-Timestamp"].ToString(),
                context.Request.Headers["X-Faable-Signature"].ToString(),
                context.Request.ContentType));
            if (self.Delay > TimeSpan.Zero)
            {
                await Task.Delay(self.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = self.StatusCode;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new WebhookSubscriber(app, address.TrimEnd('/') + "/hooks/faable");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedWebhook(byte[] Body, string EventType, string DeliveryId, string Timestamp, string Signature, string? ContentType)
{
    public Faable.Webhooks.FaableWebhookHeaders Headers => new(Timestamp, Signature, EventType, DeliveryId);

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement.Clone();
}
