namespace Faable.Actions;

/// <summary>
/// Settings of the actions engine, bound from the <c>Faable:Actions</c> configuration section. Property names
/// are the configuration keys (for example <c>Faable:Actions:ResumeStateKey</c>).
/// </summary>
public sealed class FaableActionsOptions
{
    /// <summary>
    /// Gets or sets the secret that signs resume states (HMAC-SHA256 over its UTF-8 bytes, as written). Keep it out
    /// of source control; every instance sharing a store needs the same key.
    /// </summary>
    /// <value>
    /// At least 32 bytes, e.g. the output of <c>openssl rand -base64 48</c>. Required when the engine is registered with
    /// <c>AddFaableActions</c> outside the Development environment. Unset in Development or on an engine built in
    /// code (e.g. in a test), the engine signs with an ephemeral random key: paused logins resume only on that engine
    /// and are lost when it is gone.
    /// </value>
    public string? ResumeStateKey { get; set; }

    /// <summary>Gets or sets how long a paused flow waits for <c>/continue</c>.</summary>
    /// <value>10 minutes. At most 1 day.</value>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how long a <c>deny_count</c> counter lives after the last denial it counted.</summary>
    /// <value>30 days. At most 365 days.</value>
    public TimeSpan DenyCountWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets the sandbox limits every action runs under.</summary>
    /// <value>Faable's own limits (<see cref="ActionLimits"/> defaults: 5 seconds per action).</value>
    public ActionLimits Limits { get; set; } = new();

    /// <summary>
    /// Gets or sets a folder of actions loaded at start-up with <see cref="Loading.ActionFolder.Load(string)"/>
    /// (used by <c>AddFaableActions</c>; an engine built in code takes its actions directly).
    /// </summary>
    /// <value>No default: only actions registered in code.</value>
    public string? ActionsPath { get; set; }

    /// <summary>
    /// Gets or sets the handler that answers the scripts' <c>fetch</c> (set in code, not from configuration).
    /// Without one, every <c>fetch</c> rejects with a clear error: there is no real network unless the host opts in.
    /// </summary>
    /// <value><see langword="null"/>.</value>
    public HttpMessageHandler? FetchHandler { get; set; }
}
