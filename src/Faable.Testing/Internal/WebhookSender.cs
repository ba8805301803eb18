using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Faable.Webhooks;
using Faable.Webhooks.Events;

namespace Faable.Testing.Internal;

/// <summary>
/// Signs deliveries exactly as Faable does (through <see cref="FaableWebhookSigner"/>) and POSTs them to the subscribers
/// of the event: 5-second timeout, no retry, every attempt recorded.
/// </summary>
internal sealed class WebhookSender(FaableLocalTenant tenant, HttpMessageHandler? handler) : IDisposable
{
    /// <summary>The event types Faable sends; subscriptions and metric tags accept only these.</summary>
    public static readonly string[] KnownEvents =
        [FaableWebhookEventTypes.UserCreated, FaableWebhookEventTypes.UserUpdated, FaableWebhookEventTypes.UserDeleted, FaableWebhookEventTypes.AuthLogin];

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _client = new(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: handler is null)
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private readonly ConcurrentQueue<FaableLocalWebhookDelivery> _deliveries = new();

    public IReadOnlyList<FaableLocalWebhookDelivery> Deliveries => [.. _deliveries];

    public async Task<IReadOnlyList<FaableLocalWebhookDelivery>> SendAsync(string eventType, JsonNode payload, CancellationToken cancellationToken)
    {
        var subscribers = tenant.Options.Webhooks
            .Where(s => s.Events.Count == 0 || s.Events.Contains(eventType, StringComparer.Ordinal))
            .ToList();
        var deliveryId = FaableWebhookSigner.NewDeliveryId();
        var payloadJson = payload.ToJsonString();
        var results = await Task.WhenAll(subscribers.Select(s => DeliverAsync(s, eventType, deliveryId, payloadJson, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    public static JsonObject UserPayload(FaableLocalUser user)
    {
        var appMetadata = new JsonObject();
        foreach (var (k, v) in user.AppMetadata)
        {
            appMetadata[k] = v;
        }

        var userMetadata = new JsonObject();
        foreach (var (k, v) in user.UserMetadata)
        {
            userMetadata[k] = v;
        }

        return new JsonObject
        {
            ["user"] = new JsonObject
            {
                ["user_id"] = user.UserId,
                ["email"] = user.Email,
                ["email_verified"] = user.EmailVerified,
                ["name"] = user.Name,
                ["connection"] = user.Connection,
                ["app_metadata"] = appMetadata,
                ["user_metadata"] = userMetadata,
            },
        };
    }

    public void Dispose() => _client.Dispose();

    private async Task<FaableLocalWebhookDelivery> DeliverAsync(FaableLocalWebhookSubscriber subscriber, string eventType, string deliveryId, string payloadJson, CancellationToken cancellationToken)
    {
        var signed = new FaableWebhookSigner(subscriber.Secret, tenant.TimeProvider).Sign(eventType, deliveryId, payloadJson);
        int? status = null;
        string? error = null;
        string? errorType = null;
        var started = Stopwatch.GetTimestamp();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Timeout);
            try
            {
                using var request = signed.CreateRequest(new Uri(subscriber.Url));
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"The subscriber answered {status}.";
                    errorType = status.Value.ToString(CultureInfo.InvariantCulture);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = "No answer within 5 seconds.";
                errorType = "timeout";
            }
            catch (HttpRequestException ex)
            {
                error = $"Connection failed: {ex.HttpRequestError}.";
                errorType = ex.HttpRequestError.ToString();
            }
        }

        var delivery = new FaableLocalWebhookDelivery
        {
            EventType = eventType,
            DeliveryId = deliveryId,
            Url = subscriber.Url,
            Body = signed.BodyText,
            Timestamp = signed.Timestamp,
            StatusCode = status,
            Error = error,
        };
        _deliveries.Enqueue(delivery);
        tenant.Metrics.WebhookDelivery(eventType, errorType, Stopwatch.GetElapsedTime(started));
        if (error is null)
        {
            Log.WebhookDelivered(tenant.Logger, eventType, deliveryId, subscriber.Url, status!.Value);
        }
        else
        {
            Log.WebhookFailed(tenant.Logger, eventType, deliveryId, subscriber.Url, error);
        }

        return delivery;
    }
}
