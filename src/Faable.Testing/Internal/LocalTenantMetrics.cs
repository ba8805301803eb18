using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Faable.Testing.Internal;

/// <summary>
/// Instruments of the <c>Faable.Testing</c> meter, recorded by the local tenant. Every tag value comes from a closed
/// set or from the tenant's configuration (grant types, OAuth error codes, outcomes, configured connections, known
/// event types): never a user id, email, token, code, secret or state.
/// </summary>
internal sealed class LocalTenantMetrics
{
    public const string MeterName = "Faable.Testing";
    public const string TokensIssuedName = "faable.testing.tokens_issued";
    public const string TokenRequestsRefusedName = "faable.testing.token_requests_refused";
    public const string LoginsName = "faable.testing.logins";
    public const string WebhookDeliveriesName = "faable.testing.webhook_deliveries";
    public const string WebhookDeliveryDurationName = "faable.testing.webhook_delivery.duration";

    public const string GrantTypeTag = "grant_type";
    public const string TokenKindTag = "token.kind";
    public const string ErrorTypeTag = "error.type";
    public const string OutcomeTag = "outcome";
    public const string ConnectionTag = "connection";
    public const string EventTypeTag = "event.type";

    /// <summary>The value of <see cref="GrantTypeTag"/> and <see cref="EventTypeTag"/> for a value outside the known set.</summary>
    public const string Other = "other";

    private static readonly string[] KnownGrantTypes = ["client_credentials", "authorization_code"];
    private static readonly Lazy<LocalTenantMetrics> SharedInstance = new(() => new LocalTenantMetrics(new Meter(MeterName)));

    private readonly Counter<long> _tokensIssued;
    private readonly Counter<long> _tokenRequestsRefused;
    private readonly Counter<long> _logins;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _webhookDeliveryDuration;

    private LocalTenantMetrics(Meter meter)
    {
        _tokensIssued = meter.CreateCounter<long>(TokensIssuedName, "{token}", "Tokens issued by /oauth/token, by grant_type and token.kind (access or id).");
        _tokenRequestsRefused = meter.CreateCounter<long>(TokenRequestsRefusedName, "{request}", "Token requests refused, by grant_type and error.type (the OAuth error code).");
        _logins = meter.CreateCounter<long>(LoginsName, "{login}", "Sign-ins that reached the login flow, by outcome (allowed, denied, redirected, failed), connection and error.type.");
        _webhookDeliveries = meter.CreateCounter<long>(WebhookDeliveriesName, "{delivery}", "Webhook delivery attempts, by event.type, outcome (delivered, failed) and error.type.");
        _webhookDeliveryDuration = meter.CreateHistogram<double>(WebhookDeliveryDurationName, "s", "Time from sending a webhook to the subscriber's answer (or the failure), by event.type and outcome.");
    }

    /// <summary>The instruments on a meter owned by the process, for a tenant built without an <see cref="IMeterFactory"/>.</summary>
    public static LocalTenantMetrics Shared => SharedInstance.Value;

    public static LocalTenantMetrics Create(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared : new LocalTenantMetrics(meterFactory.Create(MeterName));

    /// <summary>A grant type as a tag value: one the tenant supports, <c>none</c> when absent, otherwise <c>other</c>.</summary>
    public static string GrantTypeOf(string? grantType) =>
        grantType is null ? "none" : KnownGrantTypes.FirstOrDefault(g => string.Equals(g, grantType, StringComparison.Ordinal)) ?? Other;

    /// <summary>An event type as a tag value: one Faable sends, otherwise <c>other</c> (any type can be sent on demand).</summary>
    public static string EventTypeOf(string eventType) =>
        WebhookSender.KnownEvents.FirstOrDefault(e => string.Equals(e, eventType, StringComparison.Ordinal)) ?? Other;

    public void TokenIssued(string grantType, string kind) =>
        _tokensIssued.Add(1, new KeyValuePair<string, object?>(GrantTypeTag, GrantTypeOf(grantType)), new KeyValuePair<string, object?>(TokenKindTag, kind));

    public void TokenRequestRefused(string? grantType, string error) =>
        _tokenRequestsRefused.Add(1, new KeyValuePair<string, object?>(GrantTypeTag, GrantTypeOf(grantType)), new KeyValuePair<string, object?>(ErrorTypeTag, error));

    /// <param name="outcome"><c>allowed</c>, <c>denied</c>, <c>redirected</c> or <c>failed</c>.</param>
    /// <param name="connection">A connection of the tenant's configuration (the login page accepts no other).</param>
    /// <param name="errorType">For <c>failed</c>: the kind of failure (an exception type name or a fixed code).</param>
    public void Login(string outcome, string connection, string? errorType = null)
    {
        var tags = new TagList
        {
            { OutcomeTag, outcome },
            { ConnectionTag, connection },
        };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _logins.Add(1, tags);
    }

    /// <param name="eventType">The event type sent (mapped to a known type or <c>other</c>).</param>
    /// <param name="errorType">Null when delivered; otherwise the status code answered, <c>timeout</c> or the connection error.</param>
    /// <param name="duration">Wall-clock time of the attempt.</param>
    public void WebhookDelivery(string eventType, string? errorType, TimeSpan duration)
    {
        var tags = new TagList
        {
            { EventTypeTag, EventTypeOf(eventType) },
            { OutcomeTag, errorType is null ? "delivered" : "failed" },
        };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _webhookDeliveries.Add(1, tags);
        _webhookDeliveryDuration.Record(duration.TotalSeconds, tags);
    }
}
