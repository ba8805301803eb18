namespace Faable.Testing;

/// <summary>A webhook subscription of the local tenant.</summary>
public sealed class FaableLocalWebhookSubscriber
{
    /// <summary>The absolute URL deliveries are POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>The signing secret (e.g. <c>whsec_…</c>), used as the HMAC key exactly as written.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The event types delivered (<c>user.created</c>, <c>user.updated</c>, <c>user.deleted</c>, <c>auth.login</c>).</summary>
    /// <value>When empty: every event.</value>
    public IList<string> Events { get; } = [];
}
