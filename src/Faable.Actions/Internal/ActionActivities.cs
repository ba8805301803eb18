using System.Diagnostics;

namespace Faable.Actions.Internal;

/// <summary>The <c>Faable.Actions</c> activity source: one <c>faable.actions.run</c> span per action run.</summary>
internal static class ActionActivities
{
    public static readonly ActivitySource Source = new(ActionMetrics.MeterName, typeof(ActionActivities).Assembly.GetName().Version?.ToString());
}
