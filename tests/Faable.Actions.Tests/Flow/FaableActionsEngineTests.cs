using System.Text.Json.Nodes;
using Faable.Actions.Flow;
using Faable.Actions.Stores;

namespace Faable.Actions.Tests.Flow;

public sealed class FaableActionsEngineTests
{
    private readonly FakeActionRuntime _runtime = new();

    [Fact]
    public async Task RunPostLogin_NoActions_ReturnsAllowed()
    {
        var engine = EngineFixture.Engine(_runtime, []);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Empty(outcome.Trace);
    }

    [Fact]
    public async Task RunPostLogin_ActionsGivenOutOfOrder_RunInAscendingOrderWithTiesInGivenOrder()
    {
        var actions = new[]
        {
            _runtime.Add("c", (_, _) => { }, order: 20),
            _runtime.Add("a", (_, _) => { }, order: -5),
            _runtime.Add("b1", (_, _) => { }, order: 10),
            _runtime.Add("b2", (_, _) => { }, order: 10),
            _runtime.Add("continue-only", (_, _) => { }, ActionTrigger.Continue, order: 0),
        };
        var engine = EngineFixture.Engine(_runtime, actions);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Equal(["a", "b1", "b2", "c"], _runtime.RunNames);
        Assert.Equal(["a", "b1", "b2", "c"], outcome.Trace.Select(t => t.ActionName));
        Assert.All(outcome.Trace, t => Assert.Equal(ActionStepOutcome.Completed, t.Outcome));
    }

    [Fact]
    public async Task RunPostLogin_DisabledAction_IsSkipped()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("on", (_, _) => { }, order: 1),
            _runtime.Add("off", (_, r) => r.RecordDeny("never", null, null, null), order: 2, enabled: false),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Equal(["on"], _runtime.RunNames);
    }

    [Fact]
    public async Task RunPostLogin_Deny_CurrentActionFinishesAndLaterActionsDoNotRun()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("gate", (_, r) =>
            {
                r.RecordDeny("No entry.", "gate_closed", new JsonObject { ["why"] = "test" }, null);
                r.RecordConsole("log", "still running after deny");
            }, order: 1),
            _runtime.Add("later", (_, _) => { }, order: 2),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("gate", outcome.Denial!.ActionName);
        Assert.Equal("No entry.", outcome.Denial.Reason);
        Assert.Equal("gate_closed", outcome.Denial.Code);
        Assert.Null(outcome.Denial.BlockedUntil);
        Assert.False(outcome.Denial.FromBlock);
        Assert.Equal(["gate"], _runtime.RunNames);
        Assert.Equal("still running after deny", Assert.Single(outcome.Trace[0].Console).Text);
        Assert.False(outcome.IsSignup);
    }

    [Fact]
    public async Task RunPostLogin_DenyAfterRedirectInSameAction_DenyWinsAndNoStateIsIssued()
    {
        var store = new InMemoryActionFlowStore();
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("both", (_, r) =>
            {
                r.RecordRedirect("https://shop.example.com/terms");
                r.RecordDeny("Denied anyway.", null, null, null);
            }),
        ], store: store);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Null(outcome.Redirect);
        Assert.Equal(["api.redirect.sendUserTo", "api.access.deny"], outcome.Trace[0].ApiCalls.Select(c => c.Method));
        Assert.Equal(ActionStepOutcome.Denied, outcome.Trace[0].Outcome);
    }

    [Fact]
    public async Task RunPostLogin_RedirectAfterDenyInSameAction_DenyWins()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("both", (_, r) =>
            {
                r.RecordDeny("Denied first.", null, null, null);
                r.RecordRedirect("https://shop.example.com/terms");
            }),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("Denied first.", outcome.Denial!.Reason);
    }

    [Fact]
    public async Task RunPostLogin_ReviewThenDenyInLaterAction_DeniedAndReviewFlagKept()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("risk", (_, r) => r.RecordReview("new_country", new JsonObject { ["country"] = "NZ" }), order: 1),
            _runtime.Add("gate", (_, r) => r.RecordDeny("No.", "gate", null, null), order: 2),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        var review = Assert.Single(outcome.Reviews);
        Assert.Equal(("risk", "new_country"), (review.ActionName, review.Code));
        Assert.True(outcome.IsFlaggedForReview);
        Assert.True(outcome.HasReview("new_country"));
        Assert.False(outcome.HasReview("New_Country"));
        Assert.False(outcome.HasReview("gate"));
        Assert.True(outcome.AuditRows[0].Review);
        Assert.False(outcome.AuditRows[1].Review);
        Assert.Equal("gate", outcome.AuditRows[1].Code);
    }

    [Fact]
    public async Task RunPostLogin_ReviewAndDenyInSameAction_DenyWinsAndReviewIsKept()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("both", (_, r) =>
            {
                r.RecordReview("suspicious", null);
                r.RecordDeny("No.", null, null, null);
            }),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("suspicious", Assert.Single(outcome.Reviews).Code);
        Assert.True(Assert.Single(outcome.AuditRows).Review);
    }

    [Fact]
    public async Task RunPostLogin_ReviewOnly_AllowedWithReviewFlag()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("risk", (_, r) => r.RecordReview("odd_hour", null))]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.True(outcome.IsFlaggedForReview);
    }

    [Fact]
    public async Task RunPostLogin_Redirect_PausesChainAfterTheAction()
    {
        var clock = EngineFixture.Clock();
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("first", (_, r) =>
            {
                r.RecordRedirect("https://shop.example.com/profile?step=1#top");
                r.RecordRedirect("https://shop.example.com/ignored");
            }, order: 1),
            _runtime.Add("second", (_, r) => r.RecordRedirect("https://shop.example.com/second"), order: 2),
        ], clock);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsRedirected, outcome.ToString());
        Assert.Equal(["first"], _runtime.RunNames);
        var redirect = outcome.Redirect!;
        Assert.Equal("first", redirect.ActionName);
        Assert.Equal("https://shop.example.com/profile?step=1#top", redirect.RequestedUrl);
        Assert.Equal($"https://shop.example.com/profile?step=1&state={redirect.State}#top", redirect.Url);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(10), redirect.ExpiresAt);
        Assert.Matches("^[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}$", redirect.State);
        Assert.False(outcome.IsSignup);
    }

    [Fact]
    public async Task RunPostLogin_TwoRedirects_IssueDifferentStates()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("r", (_, r) => r.RecordRedirect("https://shop.example.com/p"))]);

        var first = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        var second = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.NotEqual(first.Redirect!.State, second.Redirect!.State);
    }

    [Fact]
    public async Task Continue_AfterRedirect_RunsContinueChainThenRestOfPostLoginChain()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("before", (_, _) => { }, order: 1),
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p"), order: 2),
            _runtime.Add("after", (_, _) => { }, order: 3),
            _runtime.Add("check-2", (_, _) => { }, ActionTrigger.Continue, order: 2),
            _runtime.Add("check-1", (_, _) => { }, ActionTrigger.Continue, order: 1),
        ]);
        var paused = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        Assert.Equal(["before", "pause", "check-1", "check-2", "after"], _runtime.RunNames);
        Assert.Equal(
            [(ActionTrigger.Continue, "check-1"), (ActionTrigger.Continue, "check-2"), (ActionTrigger.PostLogin, "after")],
            outcome.Trace.Select(t => (t.Trigger, t.ActionName)));
    }

    [Fact]
    public async Task Continue_ContinueActionDenies_RestOfPostLoginChainDoesNotRun()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p"), order: 1),
            _runtime.Add("after", (_, _) => { }, order: 2),
            _runtime.Add("check", (e, r) =>
            {
                if (e.User.Email is null)
                {
                    r.RecordDeny("An email address is required.", "profile_incomplete", null, null);
                }
            }, ActionTrigger.Continue),
        ]);
        var paused = await engine.RunPostLoginAsync(EngineFixture.Event(email: null), EngineFixture.Context, TestContext.Current.CancellationToken);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event(email: null).User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.Equal("profile_incomplete", outcome.Denial!.Code);
        Assert.DoesNotContain("after", _runtime.RunNames);
    }

    [Fact]
    public async Task Continue_ContinueActionRedirects_PausesAgainAndResumesAtNextContinueAction()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p"), order: 1),
            _runtime.Add("after", (_, _) => { }, order: 2),
            _runtime.Add("c1", (_, r) => r.RecordRedirect("https://shop.example.com/second"), ActionTrigger.Continue, order: 1),
            _runtime.Add("c2", (_, _) => { }, ActionTrigger.Continue, order: 2),
        ]);
        var first = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        var second = await engine.ContinueAsync(first.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);
        var third = await engine.ContinueAsync(second.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(second.IsRedirected, second.ToString());
        Assert.True(third.IsAllowed, third.ToString());
        Assert.Equal(["pause", "c1", "c2", "after"], _runtime.RunNames);
    }

    [Fact]
    public async Task Continue_LaterPostLoginActionRedirects_PausesAgainAndResumesAfterIt()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("p1", (_, r) => r.RecordRedirect("https://shop.example.com/one"), order: 1),
            _runtime.Add("p2", (_, r) => r.RecordRedirect("https://shop.example.com/two"), order: 2),
            _runtime.Add("p3", (_, _) => { }, order: 3),
            _runtime.Add("c", (_, _) => { }, ActionTrigger.Continue),
        ]);
        var first = await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: true), EngineFixture.Context, TestContext.Current.CancellationToken);

        var second = await engine.ContinueAsync(first.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);
        var third = await engine.ContinueAsync(second.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.Equal("p2", second.Redirect.ActionName);
        Assert.False(second.IsSignup);
        Assert.True(third.IsAllowed, third.ToString());
        Assert.True(third.IsSignup);
        Assert.Equal(["p1", "c", "p2", "c", "p3"], _runtime.RunNames);
    }

    [Fact]
    public async Task Continue_ReviewBeforePause_IsReportedOnFinalOutcome()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("risk", (_, r) => r.RecordReview("vpn", new JsonObject { ["asn"] = 1 }), order: 1),
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p"), order: 2),
        ]);
        var paused = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsAllowed, outcome.ToString());
        var review = Assert.Single(outcome.Reviews);
        Assert.Equal(("risk", "vpn", 1), (review.ActionName, review.Code, (int)review.Details!["asn"]!));
    }

    [Fact]
    public async Task Stats_SignupLogin_IsNewUserTrueOnPostLoginAndFalseOnContinue()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p"), order: 1),
            _runtime.Add("after", (_, _) => { }, order: 2),
            _runtime.Add("check", (_, _) => { }, ActionTrigger.Continue),
        ]);
        var paused = await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: true), EngineFixture.Context, TestContext.Current.CancellationToken);

        await engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        var seen = _runtime.Runs.ToDictionary(r => r.Action, r => r.Event.Stats.IsNewUser);
        Assert.True(seen["pause"]);
        Assert.False(seen["check"]);
        Assert.True(seen["after"]);
    }

    [Fact]
    public async Task Stats_AccountAge_ComesFromCreatedAtAndTheEngineClock()
    {
        var clock = EngineFixture.Clock();
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("a", (_, _) => { })], clock);

        await engine.RunPostLoginAsync(EngineFixture.Event(createdAt: clock.GetUtcNow() - TimeSpan.FromDays(2)), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.Equal((long)TimeSpan.FromDays(2).TotalMilliseconds, _runtime.Runs.Single().Event.Stats.AccountAgeMs);
    }

    [Fact]
    public async Task Signup_AllowedWithoutPause_ReportsSignup()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("a", (_, _) => { })]);

        var signup = await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: true), EngineFixture.Context, TestContext.Current.CancellationToken);
        var login = await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: false), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(signup.IsSignup);
        Assert.False(login.IsSignup);
    }

    [Fact]
    public async Task Signup_PausedAndResumed_ReportedOnceOnTheFinalOutcome()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p")),
            _runtime.Add("check", (_, _) => { }, ActionTrigger.Continue),
        ]);

        var paused = await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: true), EngineFixture.Context, TestContext.Current.CancellationToken);
        var resumed = await engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.False(paused.IsSignup);
        Assert.True(resumed.IsAllowed, resumed.ToString());
        Assert.True(resumed.IsSignup);
    }

    [Fact]
    public async Task Signup_DeniedSignup_DoesNotReportSignup()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("gate", (_, r) => r.RecordDeny("No.", null, null, null))]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: true), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.False(outcome.IsSignup);
    }

    [Fact]
    public async Task RunPostLogin_ActionTimesOut_FailsClosedAndLaterActionsDoNotRun()
    {
        var timeout = new ActionTimeoutException("slow", TimeSpan.FromSeconds(5));
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.AddAsync("slow", (_, _) => Task.FromException(timeout), order: 1),
            _runtime.Add("later", (_, _) => { }, order: 2),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsFailed, outcome.ToString());
        Assert.Same(timeout, outcome.Error);
        Assert.Equal(ActionStepOutcome.Failed, outcome.Trace.Single().Outcome);
        Assert.Equal(["slow"], _runtime.RunNames);
        Assert.False(outcome.IsAllowed);
    }

    [Fact]
    public async Task RunPostLogin_RuntimeThrowsForeignException_FailsClosedWithScriptError()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("broken", (_, _) => throw new InvalidOperationException("host bug"))]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsFailed, outcome.ToString());
        var error = Assert.IsType<ActionScriptException>(outcome.Error);
        Assert.Equal("broken", error.ActionName);
        Assert.Contains("host bug", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPostLogin_DenyAfterActionError_StillFailed()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("deny-then-throw", (_, r) =>
            {
                r.RecordDeny("No.", null, null, null);
                throw new ActionScriptException("deny-then-throw", "boom");
            }),
        ]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsFailed, outcome.ToString());
    }

    [Fact]
    public async Task RunPostLogin_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.AddAsync("cancel", (_, _) =>
            {
                cts.Cancel();
                return Task.FromCanceled(cts.Token);
            }),
        ]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, cts.Token));
    }

    [Fact]
    public async Task BlockFor_LaterAttempts_DeniedWithoutRunningUntilItExpires()
    {
        var clock = EngineFixture.Clock();
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("fraud", (e, r) =>
            {
                if (e.Stats.DenyCount < 2)
                {
                    r.RecordDeny("Too many attempts.", "fraud", null, TimeSpan.FromHours(48));
                }
            }),
        ], clock);

        var first = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(47));
        var blocked = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        var otherUser = await engine.RunPostLoginAsync(EngineFixture.Event("user_2"), EngineFixture.Context, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(1));
        var afterExpiry = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(first.IsDenied, first.ToString());
        Assert.Equal(EngineFixture.Clock().GetUtcNow() + TimeSpan.FromHours(48), first.Denial!.BlockedUntil);
        Assert.True(blocked.IsDenied, blocked.ToString());
        Assert.True(blocked.Denial!.FromBlock);
        Assert.Equal("Too many attempts.", blocked.Denial.Reason);
        Assert.Equal(ActionStepOutcome.Blocked, Assert.Single(blocked.Trace).Outcome);
        Assert.True(otherUser.IsDenied, "user_2 is denied by the action itself (deny_count 0), not by user_1's block");
        Assert.False(otherUser.Denial!.FromBlock);
        Assert.True(afterExpiry.IsAllowed, afterExpiry.ToString());
        Assert.Equal(["fraud", "fraud", "fraud"], _runtime.RunNames);
        Assert.Equal(2, _runtime.Runs.Last().Event.Stats.DenyCount);
    }

    [Fact]
    public async Task BlockFor_ContinueOfBlockedUser_DeniedWithoutRunning()
    {
        var clock = EngineFixture.Clock();
        var store = new InMemoryActionFlowStore(clock);
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("pause", (_, r) => r.RecordRedirect("https://shop.example.com/p")),
            _runtime.Add("check", (_, _) => { }, ActionTrigger.Continue),
        ], clock, store);
        var paused = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        await store.SetBlockAsync("user_1", new ActionBlock("elsewhere", "Blocked.", null, clock.GetUtcNow().AddHours(1)), TimeSpan.FromHours(1), TestContext.Current.CancellationToken);

        var outcome = await engine.ContinueAsync(paused.Redirect!.State, EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.True(outcome.IsDenied, outcome.ToString());
        Assert.True(outcome.Denial!.FromBlock);
        Assert.DoesNotContain("check", _runtime.RunNames);
    }

    [Fact]
    public async Task DenyCount_CountsDenialsOfThisActionForThisUserOnly()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("a", (_, r) => r.RecordDeny("No.", null, null, null), order: 1),
            _runtime.Add("b", (_, _) => { }, ActionTrigger.Continue),
        ]);

        await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        await engine.RunPostLoginAsync(EngineFixture.Event("user_2"), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.Equal([0, 1, 2, 0], _runtime.Runs.Select(r => r.Event.Stats.DenyCount));
    }

    [Fact]
    public async Task DenyCount_AfterWindowWithoutDenials_StartsAgainAtZero()
    {
        var clock = EngineFixture.Clock();
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("a", (_, r) => r.RecordDeny("No.", null, null, null))], clock);

        await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromDays(29));
        await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.Equal([0, 1, 0], _runtime.Runs.Select(r => r.Event.Stats.DenyCount));
    }

    [Fact]
    public async Task AuditRows_Deny_CarryCodeAndDetails()
    {
        var clock = EngineFixture.Clock();
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("ok", (_, _) => { }, order: 1),
            _runtime.Add("gate", (_, r) => r.RecordDeny("No.", "geo", new JsonObject { ["country"] = "XX" }, null), order: 2),
        ], clock);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.Equal(2, outcome.AuditRows.Count);
        var row = outcome.AuditRows[1];
        Assert.Equal((clock.GetUtcNow(), "user_1", "shop", "gate", ActionTrigger.PostLogin, ActionStepOutcome.Denied, "No.", "geo"), (row.Timestamp, row.UserId, row.ClientId, row.ActionName, row.Trigger, row.Outcome, row.Reason, row.Code));
        Assert.Equal("XX", (string)row.Details!["country"]!);
        Assert.Null(outcome.AuditRows[0].Code);
    }

    [Fact]
    public async Task Outcome_ToString_ShowsVerdictTraceCallsAndConsole()
    {
        var engine = EngineFixture.Engine(_runtime,
        [
            _runtime.Add("hello", (_, r) => r.RecordConsole("log", "checking ada"), order: 1),
            _runtime.Add("gate", (_, r) => r.RecordDeny("Verify your email address first.", "unverified", null, null), order: 2),
        ]);

        var text = (await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken)).ToString();

        Assert.Contains("Denied: denied by 'gate': \"Verify your email address first.\" code=unverified", text, StringComparison.Ordinal);
        Assert.Contains("1. [post-login] 'hello' → Completed", text, StringComparison.Ordinal);
        Assert.Contains("console.log: checking ada", text, StringComparison.Ordinal);
        Assert.Contains("2. [post-login] 'gate' → Denied", text, StringComparison.Ordinal);
        Assert.Contains("api.access.deny(\"Verify your email address first.\")", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcome_ToStringOfRedirect_DoesNotPrintTheState()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("r", (_, r) => r.RecordRedirect("https://shop.example.com/p"))]);

        var outcome = await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken);

        Assert.Contains("redirected by 'r' to https://shop.example.com/p", outcome.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Redirect!.State, outcome.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcome_ToStringOfFailure_NamesTheErrorAndTheAction()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.AddAsync("slow", (_, _) => Task.FromException(new ActionTimeoutException("slow", TimeSpan.FromSeconds(5))))]);

        var text = (await engine.RunPostLoginAsync(EngineFixture.Event(), EngineFixture.Context, TestContext.Current.CancellationToken)).ToString();

        Assert.StartsWith("Failed: ActionTimeoutException: Action 'slow' did not finish within 5000 ms", text, StringComparison.Ordinal);
        Assert.Contains("[post-login] 'slow' → Failed", text, StringComparison.Ordinal);
        Assert.Contains("error: ActionTimeoutException", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcome_ToStringOfRejection_NamesTheReason()
    {
        var engine = EngineFixture.Engine(_runtime, []);

        var text = (await engine.ContinueAsync("x", EngineFixture.Event().User, EngineFixture.Context, TestContext.Current.CancellationToken)).ToString();

        Assert.Equal("Rejected: resume state Malformed\n  (no action ran)", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Outcome_ToStringOfSignup_SaysSo()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("a", (_, r) => r.RecordReview("new", null))]);

        var text = (await engine.RunPostLoginAsync(EngineFixture.Event(isNewUser: true), EngineFixture.Context, TestContext.Current.CancellationToken)).ToString();

        Assert.StartsWith("Allowed (signup)", text, StringComparison.Ordinal);
        Assert.Contains("review flags: 'a' review(new)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPostLogin_ContextForAnotherClient_Throws()
    {
        var engine = EngineFixture.Engine(_runtime, []);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => engine.RunPostLoginAsync(EngineFixture.Event(), new FlowContext("other", "s"), TestContext.Current.CancellationToken));

        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryError()
    {
        var options = new FaableActionsOptions { ResumeStateKey = "short", StateLifetime = TimeSpan.Zero };
        options.Limits.MaxStatements = int.MaxValue;

        var error = Assert.Throws<ArgumentException>(() => EngineFixture.Engine(_runtime, [], options: options));

        Assert.Contains("Faable:Actions:ResumeStateKey is 5 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faable:Actions:StateLifetime", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faable:Actions:Limits:MaxStatements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BlankKey_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => EngineFixture.Engine(_runtime, [], options: new FaableActionsOptions { ResumeStateKey = "  " }));

        Assert.Contains("ResumeStateKey is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoActionsOfOneTriggerWithOneName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => EngineFixture.Engine(_runtime, [_runtime.Add("same", (_, _) => { }), _runtime.Add("same", (_, _) => { })]));

        Assert.Contains("'same'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameNameOnBothTriggers_IsAccepted()
    {
        var engine = EngineFixture.Engine(_runtime, [_runtime.Add("profile", (_, _) => { }), _runtime.Add("profile", (_, _) => { }, ActionTrigger.Continue)]);

        Assert.Equal(2, engine.Actions.Count);
    }

    [Fact]
    public void Constructor_ActionThatDoesNotPrepare_Throws()
    {
        var bad = new FaableAction("bad", ActionTrigger.PostLogin, "not registered");

        Assert.Throws<ActionScriptException>(() => EngineFixture.Engine(_runtime, [bad]));
    }

    [Fact]
    public void Constructor_DisabledActionThatDoesNotPrepare_IsNotPrepared()
    {
        var bad = new FaableAction("bad", ActionTrigger.PostLogin, "not registered") { Enabled = false };

        var engine = EngineFixture.Engine(_runtime, [bad]);

        Assert.Single(engine.Actions);
    }

    [Fact]
    public void Constructor_LanguageWithoutRuntime_Throws()
    {
        var csharp = new FaableAction("cs", ActionTrigger.PostLogin, "return;") { Language = ActionLanguage.CSharp };

        Assert.Throws<NotSupportedException>(() => EngineFixture.Engine(_runtime, [csharp]));
    }
}
