using Faable.Actions.Events;
using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Flow;

/// <summary>Attacks on the resume state: each is refused with its own reason and runs no action.</summary>
public sealed class ResumeStateTests
{
    private readonly FakeActionRuntime _runtime = new();
    private readonly FakeTimeProvider _clock = EngineFixture.Clock();
    private readonly InMemoryActionFlowStore _store;
    private readonly FaableAction[] _actions;
    private readonly FaableActionsEngine _engine;

    public ResumeStateTests()
    {
        _store = new InMemoryActionFlowStore(_clock);
        _actions =
        [
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/complete-profile")),
            _runtime.Add("check", (_, _) => { }, ActionTrigger.Continue),
        ];
        _engine = EngineFixture.Engine(_runtime, _actions, _clock, _store);
    }

    private static LoginUser User => EngineFixture.Event().User;

    private async Task<string> PauseAsync()
    {
        var outcome = await _engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        Assert.True(outcome.IsRedirected, outcome.ToString());
        return outcome.Redirect!.State;
    }

    private async Task AssertRejectedAsync(ResumeStateRejection expected, string? state, LoginUser? user = null, FlowContext? context = null, FaableActionsEngine? engine = null)
    {
        var before = _runtime.Runs.Count;
        var outcome = await (engine ?? _engine).ContinueAsync(state!, user ?? User, context ?? EngineFixture.Context, TestContext.Current.CancellationToken);
        Assert.True(outcome.IsRejected, outcome.ToString());
        Assert.Equal(expected, outcome.Rejection);
        Assert.Empty(outcome.Trace);
        Assert.False(outcome.IsAllowed);
        Assert.Equal(before, _runtime.Runs.Count);
    }

    [Fact]
    public async Task EngineWithoutKey_ResumesItsOwnStatesAndRefusesAnotherEnginesOnTheSameStore()
    {
        var noKey = new FaableActionsOptions();
        var first = EngineFixture.Engine(_runtime, _actions, _clock, _store, noKey);
        var second = EngineFixture.Engine(_runtime, _actions, _clock, _store, noKey);
        var paused = await first.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        var pausedAgain = await first.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        await AssertRejectedAsync(ResumeStateRejection.BadSignature, pausedAgain.Redirect!.State, engine: second);
        var resumed = await first.ContinueAsync(paused.Redirect!.State, User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(resumed.IsAllowed, resumed.ToString());
    }

    [Fact]
    public async Task Continue_ValidState_RunsTheContinueChain()
    {
        var state = await PauseAsync();

        var outcome = await _engine.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Equal("check", Assert.Single(outcome.Trace).ActionName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("not.a-state")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A")]
    public async Task Continue_MalformedState_RejectedAsMalformed(string state) =>
        await AssertRejectedAsync(ResumeStateRejection.Malformed, state);

    [Fact]
    public async Task Continue_NullState_RejectedAsMalformed() =>
        await AssertRejectedAsync(ResumeStateRejection.Malformed, null);

    [Fact]
    public async Task Continue_TruncatedState_RejectedAsMalformed()
    {
        var state = await PauseAsync();

        await AssertRejectedAsync(ResumeStateRejection.Malformed, state[..^1]);
        await AssertRejectedAsync(ResumeStateRejection.Malformed, state[..43]);
    }

    [Fact]
    public async Task Continue_StateWithTrailingJunk_RejectedAsMalformed()
    {
        var state = await PauseAsync();

        await AssertRejectedAsync(ResumeStateRejection.Malformed, state + "A");
        await AssertRejectedAsync(ResumeStateRejection.Malformed, state + "." + state);
    }

    [Fact]
    public async Task Continue_HundredKilobyteState_RejectedAsTooLong() =>
        await AssertRejectedAsync(ResumeStateRejection.TooLong, new string('A', 100 * 1024));

    [Fact]
    public async Task Continue_ForgedState_RejectedAsBadSignature()
    {
        await PauseAsync();
        var forged = "B" + new string('A', 42) + "." + new string('A', 43);

        await AssertRejectedAsync(ResumeStateRejection.BadSignature, forged);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(44)]
    [InlineData(60)]
    public async Task Continue_OneCharacterFlipped_RejectedAsBadSignature(int position)
    {
        var state = await PauseAsync();
        var chars = state.ToCharArray();
        chars[position] = chars[position] == 'A' ? 'B' : 'A';

        await AssertRejectedAsync(ResumeStateRejection.BadSignature, new string(chars));

        var outcome = await _engine.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);
        Assert.True(outcome.IsAllowed, "the genuine state still works after a forgery attempt: " + outcome);
    }

    [Fact]
    public async Task Continue_NonCanonicalSpellingOfAValidState_RejectedAsMalformed()
    {
        var state = await PauseAsync();
        // The 43rd character carries 2 unused low bits; setting one gives a second spelling of the same bytes.
        var last = state[42];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var other = alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) | 1];
        var variant = state[..42] + other + state[43..];

        await AssertRejectedAsync(ResumeStateRejection.Malformed, variant);
    }

    [Fact]
    public async Task Continue_StateSignedWithAnotherKey_RejectedAsBadSignature()
    {
        var state = await PauseAsync();
        var options = EngineFixture.Options();
        options.ResumeStateKey = "another-key-of-at-least-thirty-two-bytes!!";
        var other = EngineFixture.Engine(_runtime, _actions, _clock, _store, options);

        await AssertRejectedAsync(ResumeStateRejection.BadSignature, state, engine: other);
    }

    [Fact]
    public async Task Continue_SameStateTwice_SecondRejectedAsUnknownOrUsed()
    {
        var state = await PauseAsync();
        var first = await _engine.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(first.IsAllowed, first.ToString());
        await AssertRejectedAsync(ResumeStateRejection.UnknownOrUsed, state);
    }

    [Fact]
    public async Task Continue_ValidlySignedButNeverIssued_RejectedAsUnknownOrUsed()
    {
        var state = await PauseAsync();
        var emptyStore = new InMemoryActionFlowStore(_clock);
        var engine = EngineFixture.Engine(_runtime, _actions, _clock, emptyStore);

        await AssertRejectedAsync(ResumeStateRejection.UnknownOrUsed, state, engine: engine);
    }

    [Fact]
    public async Task Continue_RacedBySixteenRequests_ExactlyOneWins()
    {
        var state = await PauseAsync();
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _engine.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(tasks);

        Assert.Single(outcomes, o => o.IsAllowed);
        Assert.All(outcomes.Where(o => !o.IsAllowed), o => Assert.Equal(ResumeStateRejection.UnknownOrUsed, o.Rejection));
        Assert.Single(_runtime.Runs, r => r.Trigger == ActionTrigger.Continue);
    }

    [Fact]
    public async Task Continue_JustBeforeExpiry_Accepted()
    {
        var state = await PauseAsync();
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));

        var outcome = await _engine.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
    }

    [Fact]
    public async Task Continue_AfterExpiry_RejectedAsExpired()
    {
        var state = await PauseAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));

        await AssertRejectedAsync(ResumeStateRejection.Expired, state);
    }

    [Fact]
    public async Task Continue_ConfiguredLifetime_IsHonoured()
    {
        var options = EngineFixture.Options();
        options.StateLifetime = TimeSpan.FromMinutes(2);
        var engine = EngineFixture.Engine(_runtime, _actions, _clock, _store, options);
        var state = (await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken)).Redirect!.State;
        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        await AssertRejectedAsync(ResumeStateRejection.Expired, state, engine: engine);
    }

    [Fact]
    public async Task Continue_AnotherClient_RejectedAndTheStateStillServesItsOwnFlow()
    {
        var state = await PauseAsync();

        await AssertRejectedAsync(ResumeStateRejection.WrongClient, state, context: new FlowContext("other-client", EngineFixture.SessionId));
        var outcome = await _engine.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);
        Assert.True(outcome.IsAllowed, outcome.ToString());
    }

    [Fact]
    public async Task Continue_AnotherBrowserSession_RejectedAsWrongSession()
    {
        var state = await PauseAsync();

        await AssertRejectedAsync(ResumeStateRejection.WrongSession, state, context: new FlowContext(EngineFixture.ClientId, "session-2"));
    }

    [Fact]
    public async Task Continue_AnotherUser_RejectedAsWrongUser()
    {
        var state = await PauseAsync();

        await AssertRejectedAsync(ResumeStateRejection.WrongUser, state, user: EngineFixture.Event("user_2").User);
    }

    [Theory]
    [InlineData("code")]
    [InlineData("order")]
    [InlineData("enabled")]
    [InlineData("added")]
    public async Task Continue_ActionsChangedBetweenRedirectAndContinue_RejectedAsActionsChanged(string change)
    {
        var state = await PauseAsync();
        var check = _actions[1];
        FaableAction[] changed = change switch
        {
            "code" => [_actions[0], _runtime.Add("check", (_, _) => { }, ActionTrigger.Continue)],
            "order" => [_actions[0], check with { Order = 5 }],
            "enabled" => [_actions[0], check with { Enabled = false }],
            _ => [.. _actions, _runtime.Add("new", (_, _) => { })],
        };
        var redeployed = EngineFixture.Engine(_runtime, changed, _clock, _store);

        await AssertRejectedAsync(ResumeStateRejection.ActionsChanged, state, engine: redeployed);
        await AssertRejectedAsync(ResumeStateRejection.UnknownOrUsed, state);
    }

    [Fact]
    public async Task Continue_SameActionsInAnotherEngineInstance_Accepted()
    {
        var state = await PauseAsync();
        var secondInstance = EngineFixture.Engine(_runtime, _actions, _clock, _store);

        var outcome = await secondInstance.ContinueAsync(state, User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
    }

    [Fact]
    public async Task Continue_StoreHoldsOnlyAKeyDerivedFromTheState()
    {
        var recording = new RecordingStore(_store);
        var engine = EngineFixture.Engine(_runtime, _actions, _clock, recording);

        var state = (await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken)).Redirect!.State;

        var key = Assert.Single(recording.SavedKeys);
        Assert.DoesNotContain(state[..43], key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("null")]
    [InlineData("{}")]
    public async Task Continue_UnreadableFlowInTheStore_RejectedAsUnknownOrUsed(string payload)
    {
        var corrupting = new CorruptingStore(_store, System.Text.Encoding.UTF8.GetBytes(payload));
        var engine = EngineFixture.Engine(_runtime, _actions, _clock, corrupting);
        var state = (await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken)).Redirect!.State;

        await AssertRejectedAsync(ResumeStateRejection.UnknownOrUsed, state, engine: engine);
    }

    private sealed class CorruptingStore(IActionFlowStore inner, byte[] payload) : IActionFlowStore
    {
        public ValueTask SaveFlowStateAsync(string key, byte[] ignored, TimeSpan timeToLive, CancellationToken cancellationToken) => inner.SaveFlowStateAsync(key, payload, timeToLive, cancellationToken);

        public ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken) => inner.GetFlowStateAsync(key, cancellationToken);

        public ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken) => inner.TryDeleteFlowStateAsync(key, cancellationToken);

        public ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken) => inner.GetBlockAsync(userId, cancellationToken);

        public ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken) => inner.SetBlockAsync(userId, block, timeToLive, cancellationToken);

        public ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken) => inner.GetDenyCountAsync(userId, actionName, cancellationToken);

        public ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken) => inner.IncrementDenyCountAsync(userId, actionName, window, cancellationToken);
    }

    private sealed class RecordingStore(IActionFlowStore inner) : IActionFlowStore
    {
        public List<string> SavedKeys { get; } = [];

        public ValueTask SaveFlowStateAsync(string key, byte[] payload, TimeSpan timeToLive, CancellationToken cancellationToken)
        {
            SavedKeys.Add(key);
            return inner.SaveFlowStateAsync(key, payload, timeToLive, cancellationToken);
        }

        public ValueTask<byte[]?> GetFlowStateAsync(string key, CancellationToken cancellationToken) => inner.GetFlowStateAsync(key, cancellationToken);

        public ValueTask<bool> TryDeleteFlowStateAsync(string key, CancellationToken cancellationToken) => inner.TryDeleteFlowStateAsync(key, cancellationToken);

        public ValueTask<ActionBlock?> GetBlockAsync(string userId, CancellationToken cancellationToken) => inner.GetBlockAsync(userId, cancellationToken);

        public ValueTask SetBlockAsync(string userId, ActionBlock block, TimeSpan timeToLive, CancellationToken cancellationToken) => inner.SetBlockAsync(userId, block, timeToLive, cancellationToken);

        public ValueTask<int> GetDenyCountAsync(string userId, string actionName, CancellationToken cancellationToken) => inner.GetDenyCountAsync(userId, actionName, cancellationToken);

        public ValueTask<int> IncrementDenyCountAsync(string userId, string actionName, TimeSpan window, CancellationToken cancellationToken) => inner.IncrementDenyCountAsync(userId, actionName, window, cancellationToken);
    }
}
