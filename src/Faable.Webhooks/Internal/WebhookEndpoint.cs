using System.Buffers;
using System.Text.Json;
using Faable.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Faable.Webhooks.Internal;

/// <summary>
/// The receiving endpoint: read the raw body up to the limit, verify, persist in the inbox (atomic with
/// de-duplication), answer. Handlers run later, in the dispatcher, so the answer does not wait for them.
/// </summary>
internal static class WebhookEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        using var activity = WebhookActivities.StartReceive();
        var services = context.RequestServices;
        var (options, verifier) = services.GetRequiredService<WebhookVerifierProvider>().Current;
        var metrics = services.GetRequiredService<WebhookMetrics>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoint).FullName!);
        var limit = options.MaxBodyBytes;

        if (context.Request.ContentLength > limit)
        {
            await RejectTooLargeAsync(context, metrics, logger, limit).ConfigureAwait(false);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, (int)(context.Request.ContentLength ?? 4096) + 1));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        await RejectTooLargeAsync(context, metrics, logger, limit).ConfigureAwait(false);
                        return;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    await RejectTooLargeAsync(context, metrics, logger, limit).ConfigureAwait(false);
                    return;
                }
            }

            await HandleBodyAsync(context, options, verifier, metrics, logger, buffer.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task HandleBodyAsync(
        HttpContext context,
        FaableWebhookOptions options,
        FaableWebhookVerifier verifier,
        WebhookMetrics metrics,
        ILogger logger,
        ReadOnlyMemory<byte> body)
    {
        var headers = context.Request.Headers;
        var result = verifier.Verify(
            body.Span,
            new FaableWebhookHeaders(
                Single(headers[FaableWebhookDefaults.TimestampHeader]),
                Single(headers[FaableWebhookDefaults.SignatureHeader]),
                Single(headers[FaableWebhookDefaults.EventHeader]),
                Single(headers[FaableWebhookDefaults.DeliveryHeader])),
            wholeDocument: true);
        if (!result.IsValid)
        {
            Log.DeliveryRejected(logger, result.FailureReason, result.BodyLength, result.ClockSkewMilliseconds);
            await RejectAsync(context, metrics, result.FailureReason).ConfigureAwait(false);
            return;
        }

        var timeProvider = context.RequestServices.GetRequiredService<TimeProvider>();
        var record = new InboxRecord
        {
            DeliveryId = result.DeliveryId!,
            EventType = result.EventType!,
            Timestamp = result.Timestamp!.Value,
            ReceivedAt = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
            Body = body.ToArray(),
            SecretId = result.MatchedSecretId,
        };

        bool accepted;
        try
        {
            // Not tied to RequestAborted: once verified, the delivery is persisted even if the sender stops waiting.
            accepted = await context.RequestServices.GetRequiredService<IWebhookInboxStore>()
                .TryAcceptAsync(record, options.DeduplicationWindow, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.InboxUnavailable(logger, record.DeliveryId, ex);
            await RejectAsync(context, metrics, WebhookFailureCatalog.InboxUnavailable).ConfigureAwait(false);
            return;
        }

        if (accepted)
        {
            metrics.Accepted();
            Log.DeliveryAccepted(logger, record.DeliveryId, record.EventType, result.MatchedSecretId);
        }
        else
        {
            metrics.Duplicate();
            Log.DuplicateDelivery(logger, record.DeliveryId, record.EventType);
        }

        context.Response.StatusCode = accepted ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await WriteJsonAsync(context, writer =>
        {
            writer.WriteString("status"u8, accepted ? "accepted" : "duplicate");
            writer.WriteString("delivery_id"u8, record.DeliveryId);
        }).ConfigureAwait(false);
    }

    private static string? Single(StringValues values) => values.Count switch
    {
        0 => null,
        1 => values[0],

        // A header sent twice is joined, so no check accepts it.
        _ => string.Join(',', values.ToArray()),
    };

    private static Task RejectTooLargeAsync(HttpContext context, WebhookMetrics metrics, ILogger logger, int limit)
    {
        Log.BodyTooLarge(logger, limit);
        return RejectAsync(context, metrics, FaableWebhookFailureReason.BodyTooLarge);
    }

    private static Task RejectAsync(HttpContext context, WebhookMetrics metrics, FaableWebhookFailureReason reason) =>
        RejectAsync(context, metrics, WebhookFailureCatalog.Describe(reason));

    private static Task RejectAsync(HttpContext context, WebhookMetrics metrics, WebhookProblem problem)
    {
        metrics.Rejected(problem.Reason);
        return FaableProblem.WriteAsync(context, problem.Status, problem.Error, problem.Reason, problem.Title);
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        context.Response.ContentLength = output.WrittenCount;
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
