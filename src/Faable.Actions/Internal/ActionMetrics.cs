using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Faable.Actions.Internal;

/// <summary>Instruments of the <c>Faable.Actions</c> meter.</summary>
internal sealed class ActionMetrics
{
    public const string MeterName = "Faable.Actions";
    private static readonly Lazy<ActionMetrics> SharedInstance = new(() => new ActionMetrics(new Meter(MeterName)));
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _storeFailures;

    private ActionMetrics(Meter meter)
    {
        _runs = meter.CreateCounter<long>("faable.actions.runs", "{run}", "Action runs, by trigger, outcome and error.type.");
        _duration = meter.CreateHistogram<double>("faable.actions.run.duration", "s", "Wall-clock time of one action run, awaits included.");
        _rejections = meter.CreateCounter<long>("faable.actions.resume_rejections", "{rejection}", "Resume states refused, by error.type.");
        _storeFailures = meter.CreateCounter<long>("faable.actions.store_failures", "{failure}", "Flow store operations that failed (the login failed closed), by operation and error.type.");
    }

    /// <summary>The instruments on a meter owned by the process, for engines built without dependency injection.</summary>
    public static ActionMetrics Shared => SharedInstance.Value;

    public static ActionMetrics Create(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared : new ActionMetrics(meterFactory.Create(MeterName));

    public void ActionRan(string trigger, string outcome, string? errorType, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "faable.action.trigger", trigger },
            { "faable.action.outcome", outcome },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _runs.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);

        // The span is recorded once the run is over, so the JavaScript and C# runtimes need no tracing code of their own.
        using var activity = ActionActivities.Source.StartActivity("faable.actions.run", ActivityKind.Internal, default(ActivityContext), tags);
        if (activity is not null)
        {
            activity.SetStartTime(activity.StartTimeUtc - duration);
            if (errorType is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, errorType);
            }
        }
    }

    public void ResumeRejected(string reason) =>
        _rejections.Add(1, new KeyValuePair<string, object?>("error.type", reason));

    public void StoreFailed(string operation, string errorType) =>
        _storeFailures.Add(1, new KeyValuePair<string, object?>("faable.actions.store.operation", operation), new KeyValuePair<string, object?>("error.type", errorType));
}
