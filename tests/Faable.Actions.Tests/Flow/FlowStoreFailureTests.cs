using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Flow;

/// <summary>A failing <see cref="IActionFlowStore"/> fails the login closed, as a value, whatever the operation.</summary>
public sealed class FlowStoreFailureTests
{
    private readonly FakeActionRuntime _runtime = new();
    private readonly FakeTimeProvider _clock = EngineFixture.Clock();
    private readonly FailingFlowStore _store;
    private readonly FaableActionsEngine _engine;

    public FlowStoreFailureTests()
    {
        _store = new FailingFlowStore(new InMemoryActionFlowStore(_clock));
        FaableAction[] actions =
        [
            _runtime.Add("pause", (e, r) =>
            {
                if (e.User.Email == "deny@example.com")
                {
                    r.RecordDeny("No.", null, null, TimeSpan.FromHours(1));
                }
                else
                {
                    r.RecordRedirect("https://shop.example.com/complete-profile");
                }
            }),
            _runtime.Add("check", (_, _) => { }, ActionTrigger.Continue),
        ];
        _engine = EngineFixture.Engine(_runtime, actions, _clock, _store);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GetBlock", "")]
    [InlineData("GetDenyCount", "pause")]
    [InlineData("SaveFlowState", "pause")]
    public async Task RunPostLogin_StoreFails_FailsClosedNamingTheOperation(string operation, string actionName)
    {
        _store.FailOn = operation;

        var outcome = await _engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, Ct);

        Assert.True(outcome.IsFailed, outcome.ToString());
        var error = Assert.IsType<ActionFlowStoreException>(outcome.Error);
        Assert.Equal(operation, error.Operation);
        Assert.Equal(actionName, error.ActionName);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Null(outcome.Redirect);
    }

    [Theory]
    [InlineData("IncrementDenyCount")]
    [InlineData("SetBlock")]
    public async Task RunPostLogin_StoreFailsWhileRecordingADenial_FailsClosed(string operation)
    {
        _store.FailOn = operation;

        var outcome = await _engine.RunPostLoginAsync(EngineFixture.Event(email: "deny@example.com"), EngineFixture.Context, Ct);

        Assert.True(outcome.IsFailed, outcome.ToString());
        Assert.Equal(operation, Assert.IsType<ActionFlowStoreException>(outcome.Error).Operation);
        Assert.Equal("pause", outcome.Error!.ActionName);
        Assert.Equal(ActionStepOutcome.Denied, Assert.Single(outcome.Trace).Outcome);
    }

    [Theory]
    [InlineData("GetFlowState")]
    [InlineData("TryDeleteFlowState")]
    [InlineData("GetBlock")]
    public async Task Continue_StoreFails_FailsClosedAndRunsNoContinueAction(string operation)
    {
        var paused = await _engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, Ct);
        Assert.True(paused.IsRedirected, paused.ToString());
        var runsBefore = _runtime.Runs.Count;
        _store.FailOn = operation;

        var outcome = await _engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, Ct);

        Assert.True(outcome.IsFailed, outcome.ToString());
        Assert.Equal(operation, Assert.IsType<ActionFlowStoreException>(outcome.Error).Operation);
        Assert.Equal(runsBefore, _runtime.Runs.Count);
    }

    [Fact]
    public async Task Continue_ConsumeFailedThenStoreBack_StateStillSingleUse()
    {
        var paused = await _engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, Ct);
        _store.FailOn = "TryDeleteFlowState";
        var failed = await _engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, Ct);
        _store.FailOn = null;

        var resumed = await _engine.ContinueAsync(paused.Redirect.State, EngineFixture.Event().User, EngineFixture.Context, Ct);
        var replay = await _engine.ContinueAsync(paused.Redirect.State, EngineFixture.Event().User, EngineFixture.Context, Ct);

        Assert.True(failed.IsFailed, failed.ToString());
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.Equal(ResumeStateRejection.UnknownOrUsed, replay.Rejection);
    }

    [Fact]
    public async Task RunPostLogin_StoreThrowsActionFlowStoreException_KeepsItsCauseAndAddsTheAction()
    {
        var cause = new TimeoutException("slow");
        _store.FailOn = "GetDenyCount";
        _store.Failure = new ActionFlowStoreException("GetDenyCount", null, cause);

        var outcome = await _engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, Ct);

        var error = Assert.IsType<ActionFlowStoreException>(outcome.Error);
        Assert.Same(cause, error.InnerException);
        Assert.Equal("pause", error.ActionName);
        Assert.Contains("GetDenyCount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPostLogin_CallerCancelsWhileTheStoreWorks_CancellationIsNotAStoreFailure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        _store.FailOn = "GetBlock";
        _store.Failure = new OperationCanceledException(cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, cancelled.Token));
    }
}
