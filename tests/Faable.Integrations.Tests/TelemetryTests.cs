using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Faable.Actions;
using Faable.Actions.Testing;
using Faable.Integrations.Tests.Infrastructure;
using Faable.Webhooks.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Integrations.Tests;

public sealed class TelemetryTests
{
    private const string TestSourceName = "Faable.Integrations.Tests";
    private static readonly ActivitySource TestSource = new(TestSourceName);

    /// <summary>Collects the measurements of one meter scope (one application's <see cref="IMeterFactory"/>) and the package spans.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _activities;

        public Recorder(object? meterScope, params string[] names)
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (names.Contains(instrument.Meter.Name) && (meterScope is null || ReferenceEquals(instrument.Meter.Scope, meterScope)))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Measurements.Add((i.Name, v, Tags(tags))));
            _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Measurements.Add((i.Name, v, Tags(tags))));
            _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Measurements.Add((i.Name, v, Tags(tags))));
            _meters.Start();
            _activities = new ActivityListener
            {
                ShouldListenTo = s => names.Contains(s.Name) || s.Name == TestSourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => Activities.Add(a),
            };
            ActivitySource.AddActivityListener(_activities);
        }

        public ConcurrentBag<(string Name, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = [];

        public ConcurrentBag<Activity> Activities { get; } = [];

        public void Observe() => _meters.RecordObservableInstruments();

        public void Dispose()
        {
            _meters.Dispose();
            _activities.Dispose();
        }

        private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                dictionary[tag.Key] = tag.Value;
            }

            return dictionary;
        }
    }

    [Fact]
    public async Task AspNetCore_ValidationsRefreshesAndKeys_AreMeasuredAndTraced()
    {
        using var recorder = new Recorder(null, "Faable.AspNetCore");
        await using var api = await TestApi.StartAsync(app => app.MapGet("/orders", () => "orders").RequireScope("read:orders"));
        var ct = TestContext.Current.CancellationToken;
        using var parent = TestSource.StartActivity("request")!;
        var trace = parent.TraceId;

        var good = TestApi.Get("/orders", api.Tenant.CreateUserAccessToken().WithScopes("read:orders").Build());
        good.Headers.Add("traceparent", parent.Id);
        var bad = TestApi.Get("/orders", api.Tenant.CreateUserAccessToken().WithScopes("read:orders").Expired().Build());
        bad.Headers.Add("traceparent", parent.Id);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.Client.SendAsync(good, ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.Client.SendAsync(bad, ct)).StatusCode);
        recorder.Observe();

        var scope = api.Services.GetRequiredService<IMeterFactory>();
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.auth.token_validations" && (string?)m.Tags["outcome"] == "success");
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.auth.token_validations" && (string?)m.Tags["outcome"] == "failure" && (string?)m.Tags["error.type"] == "expired");
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.auth.jwks_refreshes" && (string?)m.Tags["outcome"] == "success");
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.auth.signing_keys" && m.Value >= 1);
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.auth.signing_keys.age" && m.Value >= 0);

        var spans = recorder.Activities.Where(a => a.TraceId == trace && a.OperationName == "faable.auth.validate_token").ToList();
        Assert.Equal(2, spans.Count);
        Assert.Contains(spans, s => s.Status == ActivityStatusCode.Error && (string?)s.GetTagItem("error.type") == "expired");
        Assert.Contains(spans, s => s.Status == ActivityStatusCode.Unset && s.GetTagItem("error.type") is null);
        Assert.Contains(recorder.Activities, a => a.OperationName == "faable.auth.jwks_refresh" && a.Source.Name == "Faable.AspNetCore");
        Assert.NotNull(scope);
    }

    [Fact]
    public async Task Webhooks_DeliveriesAndDispatches_AreMeasuredAndTraced()
    {
        using var recorder = new Recorder(null, "Faable.Webhooks");
        var handled = new TaskCompletionSource();
        await using var app = await FaableWebhooksHealthCheckTests.StartAsync(
            _ => { },
            w => w.AddHandler<UserCreated>((_, _, _) =>
            {
                handled.TrySetResult();
                return Task.CompletedTask;
            }),
            _ => { });

        await FaableWebhooksHealthCheckTests.SendAsync(app, 1);
        await handled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var deadline = Stopwatch.StartNew();
        while (!recorder.Activities.Any(a => a.OperationName == "faable.webhooks.dispatch" && (string?)a.GetTagItem("outcome") == "succeeded") && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        recorder.Observe();
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.webhooks.deliveries" && (string?)m.Tags["outcome"] == "accepted");
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.webhooks.dispatches" && (string?)m.Tags["outcome"] == "succeeded");
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.webhooks.inbox.backlog");
        Assert.Contains(recorder.Activities, a => a.OperationName == "faable.webhooks.receive" && (string?)a.GetTagItem("outcome") == "accepted");
        var dispatch = Assert.Single(recorder.Activities, a => a.OperationName == "faable.webhooks.dispatch" && (string?)a.GetTagItem("outcome") == "succeeded" && (string?)a.GetTagItem("faable.webhook.event_type") == "user.created" && a.GetTagItem("faable.webhook.delivery_id") is string);
        Assert.Equal(1, dispatch.GetTagItem("faable.webhook.attempt"));
    }

    [Fact]
    public async Task Actions_Runs_AreMeasuredWithDurationAndTracedUnderTheCaller()
    {
        using var recorder = new Recorder(null, "Faable.Actions");
        var engine = new FaableActionsEngine(
            [new FaableAction("gate", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event, api) => { api.access.deny('No.') }")],
            new FaableActionsOptions { ResumeStateKey = "integration-tests-resume-state-key-32-bytes" },
            new FakeTimeProvider(TestApi.Start));
        var login = LoginEventBuilder.For("user_telemetry").Build();
        using var parent = TestSource.StartActivity("login")!;

        var outcome = await engine.RunPostLoginAsync(login, Faable.Actions.Flow.FlowContext.For(login, sessionId: "browser-1"), TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.actions.runs" && (string?)m.Tags["faable.action.outcome"] == "denied");
        Assert.Contains(recorder.Measurements, m => m.Name == "faable.actions.run.duration" && m.Value > 0);
        var span = Assert.Single(recorder.Activities, a => a.OperationName == "faable.actions.run" && a.ParentSpanId == parent.SpanId);
        Assert.Equal("denied", span.GetTagItem("faable.action.outcome"));
        Assert.True(span.Duration > TimeSpan.Zero);
    }
}
