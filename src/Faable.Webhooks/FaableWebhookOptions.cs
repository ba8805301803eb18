namespace Faable.Webhooks;

/// <summary>
/// Options of Faable webhook verification and dispatch, bound from configuration (conventionally
/// <c>Faable:Webhooks</c>) and validated at start-up.
/// </summary>
public sealed class FaableWebhookOptions
{
    /// <summary>Gets or sets the single signing secret, reported under the id <c>default</c>.</summary>
    /// <value>No default: a secret (here or in <see cref="Secrets"/>) is required.</value>
    public string? Secret { get; set; }

    /// <summary>
    /// Gets the signing secrets by id, for rotation: a delivery verifies if any of them (or <see cref="Secret"/>)
    /// matches, and the result names the one that did.
    /// </summary>
    /// <value>Empty.</value>
    public IDictionary<string, string> Secrets { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how far in the past a delivery's timestamp may lie.</summary>
    /// <value>5 minutes.</value>
    public TimeSpan PastTolerance { get; set; } = FaableWebhookDefaults.PastTolerance;

    /// <summary>Gets or sets how far in the future a delivery's timestamp may lie (clock skew of the sender).</summary>
    /// <value>5 minutes.</value>
    public TimeSpan FutureTolerance { get; set; } = FaableWebhookDefaults.FutureTolerance;

    /// <summary>Gets or sets the largest body accepted, in bytes; larger bodies are answered with 413.</summary>
    /// <value>262144 (256 KiB).</value>
    public int MaxBodyBytes { get; set; } = FaableWebhookDefaults.MaxBodyBytes;

    /// <summary>
    /// Gets or sets how long a delivery id is remembered: a second delivery with the same id within this window is
    /// acknowledged and not dispatched. Must be at least <see cref="PastTolerance"/> + <see cref="FutureTolerance"/>,
    /// so that a replay inside the timestamp window is always recognized.
    /// </summary>
    /// <value>24 hours.</value>
    public TimeSpan DeduplicationWindow { get; set; } = FaableWebhookDefaults.DeduplicationWindow;

    /// <summary>Gets or sets how many times a delivery is handed to its handlers before it is dead-lettered.</summary>
    /// <value>5.</value>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Gets or sets the delay before the first retry; each further retry doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>2 seconds.</value>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long one attempt's handlers may run before they are cancelled and the attempt counts as failed.</summary>
    /// <value>1 minute.</value>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets how long a claim on a delivery lasts without renewal. The dispatching instance renews it every
    /// third of this time while the handlers run (a heartbeat), so a long handler keeps its delivery, and a delivery
    /// whose instance crashed is claimed again by another instance once this time has passed.
    /// </summary>
    /// <value>10 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = FaableWebhookDefaults.LeaseDuration;

    /// <summary>Gets or sets how often the dispatcher looks for work it was not notified of (retries due, other instances' deliveries).</summary>
    /// <value>1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how many deliveries this instance hands to handlers at the same time. With 1, deliveries are
    /// handled in the order they were accepted (retries aside).
    /// </summary>
    /// <value>1.</value>
    public int MaxConcurrentDispatches { get; set; } = 1;

    /// <summary>Gets or sets a value indicating whether this instance runs the background dispatcher.</summary>
    /// <value><see langword="true"/>. Set to <see langword="false"/> on instances that only receive.</value>
    public bool DispatchEnabled { get; set; } = true;
}
