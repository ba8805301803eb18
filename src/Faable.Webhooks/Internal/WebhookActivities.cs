using System.Diagnostics;

namespace Faable.Webhooks.Internal;

/// <summary>The <c>Faable.Webhooks</c> activity source: spans <c>faable.webhooks.receive</c> and <c>faable.webhooks.dispatch</c>.</summary>
internal static class WebhookActivities
{
    public const string SourceName = "Faable.Webhooks";

    public static readonly ActivitySource Source = new(SourceName, typeof(WebhookActivities).Assembly.GetName().Version?.ToString());

    public static Activity? StartReceive() => Source.StartActivity("faable.webhooks.receive");

    public static Activity? StartDispatch(string deliveryId, string eventType, int attempt)
    {
        var activity = Source.StartActivity("faable.webhooks.dispatch");
        activity?.SetTag("faable.webhook.delivery_id", deliveryId);
        activity?.SetTag("faable.webhook.event_type", eventType);
        activity?.SetTag("faable.webhook.attempt", attempt);
        return activity;
    }

    /// <summary>Tags the current span of this source with the outcome, and the error type when it failed.</summary>
    public static void Outcome(string outcome, string? errorType)
    {
        if (Activity.Current is { } activity && ReferenceEquals(activity.Source, Source))
        {
            activity.SetTag("outcome", outcome);
            if (errorType is not null)
            {
                activity.SetTag("error.type", errorType);
                activity.SetStatus(ActivityStatusCode.Error, errorType);
            }
        }
    }
}
