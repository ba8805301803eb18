using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Faable.Webhooks.Tests;

/// <summary>A real ASP.NET Core app on TestServer with the webhook endpoint at <c>/hooks/faable</c>.</summary>
internal sealed class WebhookApp : IAsyncDisposable
{
    public static readonly Uri Endpoint = new("/hooks/faable", UriKind.Relative);

    private WebhookApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<WebhookApp> StartAsync(
        Action<FaableWebhooksBuilder>? handlers = null,
        Action<FaableWebhookOptions>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<DeliveryLog>();
        var webhooks = builder.Services.AddFaableWebhooks(options =>
        {
            options.Secrets["current"] = TestSecrets.Current;
            options.Secrets["previous"] = TestSecrets.Previous;
            options.InitialRetryDelay = TimeSpan.FromMilliseconds(20);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(80);
            options.PollInterval = TimeSpan.FromMilliseconds(50);
            options.MaxAttempts = 3;
            configure?.Invoke(options);
        });
        handlers?.Invoke(webhooks);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapFaableWebhooks("/hooks/faable");
        await app.StartAsync();
        return new WebhookApp(app);
    }

    public Task<HttpResponseMessage> SendAsync(FaableWebhookSignedDelivery delivery) => Client.SendAsync(delivery.CreateRequest(Endpoint));

    public DeliveryLog Log => Services.GetRequiredService<DeliveryLog>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
