using System.Text;
using Faable.Webhooks;

/// <summary>The webhook modes of the load server and the generator of signed deliveries.</summary>
internal static class WebhookLoad
{
    private static long s_handled;

    private static string Secret => Environment.GetEnvironmentVariable("WEBHOOK_SECRET") ?? "whsec_load_test_secret_0123456789";

    public static void AddServices(IServiceCollection services)
    {
        var handlerDelay = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("HANDLER_MS") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        var dispatches = int.Parse(Environment.GetEnvironmentVariable("DISPATCHES") ?? "1", System.Globalization.CultureInfo.InvariantCulture);

        // DISPATCHES=0: this instance only receives (another instance would dispatch), so the endpoint is measured alone.
        var redis = Environment.GetEnvironmentVariable("FAABLE_REDIS") ?? throw new InvalidOperationException("FAABLE_REDIS is required (host:port of a Redis server).");
        services.AddFaableWebhooks(o =>
            {
                o.Secret = Secret;
                o.MaxConcurrentDispatches = Math.Max(1, dispatches);
                o.DispatchEnabled = dispatches > 0;
            })
            .UseRedis(redis)
            .AddFallbackHandler(async (_, _, ct) =>
            {
                if (handlerDelay > TimeSpan.Zero)
                {
                    await Task.Delay(handlerDelay, ct);
                }

                Interlocked.Increment(ref s_handled);
            });
    }

    public static void MapEndpoints(WebApplication app)
    {
        app.MapFaableWebhooks("/hooks");
        app.MapGet("/stats", () => Interlocked.Read(ref s_handled).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void MapBare(WebApplication app)
    {
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            var buffer = new byte[16 * 1024];
            while (await request.Body.ReadAsync(buffer) > 0)
            {
            }

            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        app.MapGet("/stats", () => "0");
    }

    /// <summary>
    /// One line per delivery, tab-separated: event type, delivery id, timestamp, signature, body (one-line JSON).
    /// Every delivery has its own id, so the inbox stores each one (a repeated id would be a cheaper duplicate).
    /// </summary>
    public static void WriteSignedDeliveries(int count, string path)
    {
        var signer = new FaableWebhookSigner(Secret);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        for (var i = 0; i < count; i++)
        {
            var payload = $$$"""{"user":{"user_id":"usr_{{{i:x8}}}","email":"user{{{i}}}@example.com","email_verified":true,"name":"Load Test User {{{i}}}"}}""";
            var delivery = signer.Sign("user.updated", FaableWebhookSigner.NewDeliveryId(), payload);
            writer.Write(delivery.EventType);
            writer.Write('\t');
            writer.Write(delivery.DeliveryId);
            writer.Write('\t');
            writer.Write(delivery.Timestamp);
            writer.Write('\t');
            writer.Write(delivery.Signature);
            writer.Write('\t');
            writer.Write(delivery.BodyText);
            writer.Write('\n');
        }
    }
}
