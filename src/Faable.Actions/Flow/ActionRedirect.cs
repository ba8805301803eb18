namespace Faable.Actions.Flow;

/// <summary>Where a paused login sends the browser, and the resume state that continues it.</summary>
/// <param name="ActionName">The action that called <c>api.redirect.sendUserTo</c>.</param>
/// <param name="RequestedUrl">The URL the action gave.</param>
/// <param name="Url">The URL to send the browser to: <see cref="RequestedUrl"/> with <c>state</c> added to the query, before any fragment.</param>
/// <param name="State">The opaque, signed, single-use resume state; pass it to <c>ContinueAsync</c>. Never log it.</param>
/// <param name="ExpiresAt">When the paused flow expires.</param>
public sealed record ActionRedirect(string ActionName, string RequestedUrl, string Url, string State, DateTimeOffset ExpiresAt)
{
    /// <summary>Formats the redirect for a test failure message, without the state.</summary>
    /// <returns>The action, the requested URL and the expiry.</returns>
    public override string ToString() => $"redirected by '{ActionName}' to {RequestedUrl} (state expires {ExpiresAt:O})";
}
