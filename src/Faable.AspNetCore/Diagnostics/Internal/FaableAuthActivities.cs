using System.Diagnostics;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>The <c>Faable.AspNetCore</c> activity source: spans <c>faable.auth.validate_token</c> and <c>faable.auth.jwks_refresh</c>.</summary>
internal static class FaableAuthActivities
{
    public const string SourceName = "Faable.AspNetCore";

    public static readonly ActivitySource Source = new(SourceName, typeof(FaableAuthActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Marks the current span of this source as failed with the reason (never the token).</summary>
    public static void Failed(string reason)
    {
        if (Activity.Current is { } activity && ReferenceEquals(activity.Source, Source))
        {
            activity.SetTag("error.type", reason);
            activity.SetStatus(ActivityStatusCode.Error, reason);
        }
    }
}
