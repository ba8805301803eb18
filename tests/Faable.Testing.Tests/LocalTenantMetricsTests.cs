using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Faable.Actions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static Faable.Testing.Tests.LocalTenantHost;

namespace Faable.Testing.Tests;

/// <summary>The <c>Faable.Testing</c> meter of the local tenant, observed over real HTTP through the app's <see cref="IMeterFactory"/>.</summary>
public sealed class LocalTenantMetricsTests : IAsyncLifetime
{
    private const string MeterName = "Faable.Testing";
    private const string TokensIssued = "faable.testing.tokens_issued";
    private const string TokenRequestsRefused = "faable.testing.token_requests_refused";
    private const string Logins = "faable.testing.logins";
    private const string WebhookDeliveries = "faable.testing.webhook_deliveries";
    private const string WebhookDeliveryDuration = "faable.testing.webhook_delivery.duration";
    private const string WebhookSecret = "whsec_0123456789abcdef01234567";

    private const string Gate = """
        exports.onExecutePostLogin = async (event, api) => {
          if (event.user.name === 'mallory') return api.access.deny('Blocked')
          if (event.user.name === 'wanderer') return api.redirect.sendUserTo('https://app.example.com/complete-profile')
          if (event.user.name === 'crash') throw new Error('boom')
        }
        """;

    private WebhookSubscriber _subscriber = null!;
    private WebhookSubscriber _broken = null!;
    private LocalTenantHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _subscriber = await WebhookSubscriber.StartAsync();
        _broken = await WebhookSubscriber.StartAsync();
        _broken.StatusCode = 500;
        _host = await StartAsync(o =>
        {
            o.Actions.Add(new FaableAction("gate", ActionTrigger.PostLogin, Gate));
            o.Webhooks.Add(new FaableLocalWebhookSubscriber { Url = _subscriber.Url, Secret = WebhookSecret });
            var broken = new FaableLocalWebhookSubscriber { Url = _broken.Url, Secret = WebhookSecret };
            broken.Events.Add("user.deleted");
            o.Webhooks.Add(broken);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _subscriber.DisposeAsync();
        await _broken.DisposeAsync();
    }

    [Fact]
    public async Task ClientCredentials_Issued_CountsOneAccessTokenWithGrantType()
    {
        using var issued = Collect<long>(TokensIssued);
        using var refused = Collect<long>(TokenRequestsRefused);

        var (status, _, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], (BackendClientId, BackendSecret));

        Assert.Equal(HttpStatusCode.OK, status);
        var measurement = Assert.Single(issued.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("client_credentials", measurement.Tags["grant_type"]);
        Assert.Equal("access", measurement.Tags["token.kind"]);
        Assert.Empty(refused.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_CountsRefusedInvalidClientAndNoToken()
    {
        using var issued = Collect<long>(TokensIssued);
        using var refused = Collect<long>(TokenRequestsRefused);

        var (status, _, _) = await _host.PostTokenAsync(
            [new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], (BackendClientId, "wrong_secret_0123456789"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var measurement = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal("invalid_client", measurement.Tags["error.type"]);
        Assert.Equal("client_credentials", measurement.Tags["grant_type"]);
        Assert.Empty(issued.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task UnsupportedGrantType_CountsRefusedWithBoundedGrantTypeTag()
    {
        using var refused = Collect<long>(TokenRequestsRefused);

        var (status, _, _) = await _host.PostTokenAsync([new("grant_type", "password-for-user_42"), new("audience", ApiIdentifier)]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var measurement = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal("unsupported_grant_type", measurement.Tags["error.type"]);
        Assert.Equal("other", measurement.Tags["grant_type"]);
    }

    [Fact]
    public async Task AuthorizationCode_RedeemedThenReused_CountsAccessAndIdTokensThenInvalidGrant()
    {
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce);
        using var issued = Collect<long>(TokensIssued);
        using var refused = Collect<long>(TokenRequestsRefused);

        var (first, _, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);
        var (second, _, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        var tokens = issued.GetMeasurementSnapshot();
        Assert.Equal(2, tokens.Count);
        Assert.All(tokens, m => Assert.Equal("authorization_code", m.Tags["grant_type"]));
        Assert.Equal(["access", "id"], tokens.Select(m => (string)m.Tags["token.kind"]!).Order(StringComparer.Ordinal).ToArray());
        var rejection = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal("invalid_grant", rejection.Tags["error.type"]);
        Assert.Equal("authorization_code", rejection.Tags["grant_type"]);
    }

    [Theory]
    [InlineData("grace", "allowed", null)]
    [InlineData("mallory", "denied", null)]
    [InlineData("wanderer", "redirected", null)]
    [InlineData("crash", "failed", "ActionScriptException")]
    public async Task Login_ActionOutcome_CountsLoginWithOutcomeAndConnection(string name, string outcome, string? errorType)
    {
        using var logins = Collect<long>(Logins);
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create());

        using var response = await _host.SubmitLoginAsync(transaction, ("connection", "github"), ("name", name));

        Assert.Equal(outcome == "denied" ? HttpStatusCode.Unauthorized : HttpStatusCode.Redirect, response.StatusCode);
        var measurement = Assert.Single(logins.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(outcome, measurement.Tags["outcome"]);
        Assert.Equal("github", measurement.Tags["connection"]);
        Assert.Equal(errorType, measurement.Tags.TryGetValue("error.type", out var type) ? type : null);
    }

    [Fact]
    public async Task Webhook_DeliveredAndAnswered500_CountsDeliveredAndFailedWithStatus()
    {
        using var deliveries = Collect<long>(WebhookDeliveries);
        using var durations = Collect<double>(WebhookDeliveryDuration);

        using var response = await _host.Client.PostAsync(
            "_faable/dev/webhooks/send",
            new StringContent(new JsonObject { ["type"] = "user.deleted", ["user_id"] = KnownUserId }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_subscriber.Received);
        Assert.Single(_broken.Received);
        var snapshot = deliveries.GetMeasurementSnapshot();
        Assert.Equal(2, snapshot.Count);
        Assert.All(snapshot, m => Assert.Equal("user.deleted", m.Tags["event.type"]));
        var delivered = Assert.Single(snapshot, m => (string?)m.Tags["outcome"] == "delivered");
        Assert.False(delivered.Tags.ContainsKey("error.type"));
        var failed = Assert.Single(snapshot, m => (string?)m.Tags["outcome"] == "failed");
        Assert.Equal("500", failed.Tags["error.type"]);
        var timings = durations.GetMeasurementSnapshot();
        Assert.Equal(2, timings.Count);
        Assert.All(timings, m => Assert.InRange(m.Value, double.Epsilon, 5.5));
    }

    [Fact]
    public async Task Webhook_UnknownEventTypeAndRefusedConnection_AreTaggedOtherAndConnectionError()
    {
        var closedUrl = $"http://127.0.0.1:{FreePort()}/hooks/faable";
        await using var host = await StartAsync(o =>
            o.Webhooks.Add(new FaableLocalWebhookSubscriber { Url = closedUrl, Secret = WebhookSecret }));
        using var deliveries = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), MeterName, WebhookDeliveries);

        var sent = await host.Tenant.SendWebhookAsync("invoice.paid.for.user_42", new JsonObject(), TestContext.Current.CancellationToken);

        Assert.NotNull(Assert.Single(sent).Error);
        var measurement = Assert.Single(deliveries.GetMeasurementSnapshot());
        Assert.Equal("other", measurement.Tags["event.type"]);
        Assert.Equal("failed", measurement.Tags["outcome"]);
        Assert.Equal(nameof(HttpRequestError.ConnectionError), measurement.Tags["error.type"]);
    }

    [Fact]
    public async Task Tags_AfterSignupTokensAndWebhooks_NeverCarryUserIdsEmailsTokensCodesOrSecrets()
    {
        var sensitive = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { WebhookSecret, BackendSecret, WebClientSecret, KnownUserId, "ada@example.com" };
        var tags = new ConcurrentBag<(string Instrument, string Key, string? Value)>();
        var factory = _host.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, t, _) => Record(instrument, t));
        listener.SetMeasurementEventCallback<double>((instrument, _, t, _) => Record(instrument, t));
        listener.Start();

        // Sign up (user.created, auth.login), redeem the code (access and ID tokens), reuse it (refused), and pause a
        // login at a profile page (resume state in the URL).
        var pkce = Pkce.Create();
        var callback = await _host.SignInAsync(pkce, fields: [("connection", "database"), ("name", "Grace Hopper"), ("email", "grace@example.com")]);
        var (_, body, _) = await _host.RedeemAsync(callback["code"], pkce.Verifier);
        await _host.RedeemAsync(callback["code"], pkce.Verifier);
        var (_, machine, _) = await _host.PostTokenAsync([new("grant_type", "client_credentials"), new("audience", ApiIdentifier)], (BackendClientId, BackendSecret));
        var transaction = await _host.BeginAuthorizeAsync(Pkce.Create(), state: "client-state-7f3a");
        using var paused = await _host.SubmitLoginAsync(transaction, ("connection", "github"), ("name", "wanderer"));
        await _host.Tenant.SendWebhookAsync("user.deleted", new JsonObject { ["user"] = new JsonObject { ["user_id"] = KnownUserId } }, TestContext.Current.CancellationToken);

        foreach (var user in _host.Tenant.Users)
        {
            sensitive.Add(user.UserId);
            if (user.Email is not null)
            {
                sensitive.Add(user.Email);
            }

            if (user.Name is not null)
            {
                sensitive.Add(user.Name);
            }
        }

        sensitive.Add(callback["code"]);
        sensitive.Add(callback["state"]);
        sensitive.Add("client-state-7f3a");
        sensitive.Add(QueryHelpers.ParseQuery(paused.Headers.Location!.Query)["state"].ToString());
        sensitive.Add(body.GetProperty("access_token").GetString()!);
        sensitive.Add(body.GetProperty("id_token").GetString()!);
        sensitive.Add(machine.GetProperty("access_token").GetString()!);
        foreach (var delivery in _host.Tenant.WebhookDeliveries)
        {
            sensitive.Add(delivery.DeliveryId);
            sensitive.Add(delivery.Url);
        }

        var seen = tags.ToArray();
        Assert.Equal(
            new[] { Logins, TokenRequestsRefused, TokensIssued, WebhookDeliveries, WebhookDeliveryDuration },
            seen.Select(t => t.Instrument).Distinct().Order(StringComparer.Ordinal).ToArray());
        // Equal to a sensitive value, or containing a long one (an id, token or code inside a longer string).
        var leaks = seen.Where(t => t.Value is not null && sensitive.Any(s =>
            string.Equals(t.Value, s, StringComparison.OrdinalIgnoreCase) || (s.Length >= 12 && t.Value.Contains(s, StringComparison.OrdinalIgnoreCase)))).ToList();
        Assert.Empty(leaks);

        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> measurementTags)
        {
            foreach (var tag in measurementTags)
            {
                tags.Add((instrument.Name, tag.Key, tag.Value?.ToString()));
            }
        }
    }

    [Fact]
    public async Task Tenant_WithoutMeterFactory_RecordsOnProcessMeter()
    {
        var services = new ServiceCollection();
        services.AddFaableLocalTenant(o => o.Webhooks.Add(new FaableLocalWebhookSubscriber { Url = _subscriber.Url, Secret = WebhookSecret }));
        await using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<IMeterFactory>());
        using var deliveries = new MetricCollector<long>(meterScope: null, MeterName, WebhookDeliveries);

        await provider.GetRequiredService<FaableLocalTenant>().SendWebhookAsync("user.updated", new JsonObject(), TestContext.Current.CancellationToken);

        Assert.Contains(deliveries.GetMeasurementSnapshot(), m => (string?)m.Tags["event.type"] == "user.updated" && (string?)m.Tags["outcome"] == "delivered");
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(_host.Services.GetRequiredService<IMeterFactory>(), MeterName, instrument);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
