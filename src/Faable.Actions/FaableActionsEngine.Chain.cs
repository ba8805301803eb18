using System.Diagnostics;
using System.Text.Json;
using Faable.Actions.Flow;
using Faable.Actions.Internal;
using Faable.Actions.Stores;

namespace Faable.Actions;

public sealed partial class FaableActionsEngine
{
    // Walks the continue chain from continueStart (when resuming), then the post-login chain from postLoginStart.
    // Each step either lets the walk go on or ends it with an outcome.
    private async Task<ActionFlowOutcome> RunChainsAsync(FlowRun flow, int? continueStart, int postLoginStart, CancellationToken cancellationToken)
    {
        if (continueStart is int start)
        {
            for (var i = start; i < _continue.Length; i++)
            {
                var ended = await RunStepAsync(flow, _continue[i], ActionTrigger.Continue, isNewUser: false, continueNext: i + 1, postLoginNext: postLoginStart, cancellationToken).ConfigureAwait(false);
                if (ended is not null)
                {
                    return ended;
                }
            }
        }

        for (var i = postLoginStart; i < _postLogin.Length; i++)
        {
            var ended = await RunStepAsync(flow, _postLogin[i], ActionTrigger.PostLogin, isNewUser: flow.IsSignup, continueNext: 0, postLoginNext: i + 1, cancellationToken).ConfigureAwait(false);
            if (ended is not null)
            {
                return ended;
            }
        }

        return flow.Allowed();
    }

    // Runs one action; returns null when the chain goes on, or the outcome that ends the call.
    // continueNext/postLoginNext say where a resumed flow picks up if this action pauses it.
    private async Task<ActionFlowOutcome?> RunStepAsync(FlowRun flow, FaableAction action, ActionTrigger trigger, bool isNewUser, int continueNext, int postLoginNext, CancellationToken cancellationToken)
    {
        var triggerName = ActionTriggerNames.ToName(trigger);
        var user = flow.Event.User;
        var now = _time.GetUtcNow();
        var accountAge = user.CreatedAt is { } createdAt ? Math.Max(0L, (long)(now - createdAt).TotalMilliseconds) : flow.Event.Stats.AccountAgeMs;
        var denyCount = await _store.GetDenyCountAsync(user.UserId, action.Name, cancellationToken).ConfigureAwait(false);
        var loginEvent = flow.Event with
        {
            Stats = flow.Event.Stats with { IsNewUser = isNewUser, AccountAgeMs = accountAge, DenyCount = denyCount },
        };

        var recorder = new ActionRecorder(_limits);
        FaableActionException? error = null;
        var started = Stopwatch.GetTimestamp();
        var holdsSlot = false;
        try
        {
            await _slots.EnterAsync(action.Name, cancellationToken).ConfigureAwait(false);
            holdsSlot = true;
            started = Stopwatch.GetTimestamp();
            await RuntimeFor(action).RunAsync(action, trigger, loginEvent, recorder, _environment, cancellationToken).ConfigureAwait(false);
        }
        catch (FaableActionException ex)
        {
            error = ex;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any other failure of a runtime must fail the login closed, never escape as a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = new ActionScriptException(action.Name, $"the action failed in the host ({ex.GetType().Name}: {ex.Message}).");
        }
        finally
        {
            // Whatever the run came to (done, thrown, timed out, cancelled), its slot goes back; a run that could not
            // be stopped gives it back when its thread is done.
            if (holdsSlot)
            {
                if (recorder.StillRunning is { IsCompleted: false } stillRunning)
                {
                    _ = stillRunning.ContinueWith(static (_, slots) => ((ExecutionSlots)slots!).Release(), _slots, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                else
                {
                    _slots.Release();
                }
            }
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var finishedAt = _time.GetUtcNow();
        foreach (var review in recorder.Reviews)
        {
            flow.Reviews.Add(new ActionReview(action.Name, review.Code, review.Details));
        }

        var outcome = error is not null ? ActionStepOutcome.Failed
            : recorder.Deny is not null ? ActionStepOutcome.Denied
            : recorder.RedirectUrl is not null ? ActionStepOutcome.Redirected
            : ActionStepOutcome.Completed;

        flow.Trace.Add(new ActionTraceEntry(
            action.Name,
            trigger,
            outcome,
            duration,
            recorder.Calls.Select(c => new ActionApiCall(c.Method, c.Argument)).ToArray(),
            recorder.Console.Select(c => new ActionConsoleLine(c.Level, c.Text)).ToArray(),
            recorder.ConsoleTruncated,
            error));
        var deny = outcome == ActionStepOutcome.Denied ? recorder.Deny : null;
        flow.AuditRows.Add(new ActionAuditRow(finishedAt, user.UserId, flow.Context.ClientId, action.Name, trigger, outcome, recorder.Reviews.Count > 0, deny?.Reason, deny?.Code, deny?.Details?.DeepClone()));
        _metrics.ActionRan(triggerName, OutcomeTag(outcome), error?.GetType().Name, duration);

        switch (outcome)
        {
            case ActionStepOutcome.Failed:
                Log.ActionFailed(_logger, action.Name, triggerName, user.UserId, error!);
                return flow.Failed(error!);

            case ActionStepOutcome.Denied:
                return await DenyAsync(flow, action, trigger, recorder.Deny!, finishedAt, cancellationToken).ConfigureAwait(false);

            case ActionStepOutcome.Redirected:
                return await PauseAsync(flow, action, trigger, recorder.RedirectUrl!, continueNext, postLoginNext, cancellationToken).ConfigureAwait(false);

            default:
                Log.ActionCompleted(_logger, action.Name, triggerName, user.UserId, duration.TotalMilliseconds);
                return null;
        }
    }

    private async Task<ActionFlowOutcome> DenyAsync(FlowRun flow, FaableAction action, ActionTrigger trigger, RecordedDeny deny, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = await _store.IncrementDenyCountAsync(flow.UserId, action.Name, _denyCountWindow, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? blockedUntil = null;
        if (deny.BlockFor is { } blockFor && blockFor > TimeSpan.Zero)
        {
            var until = now + blockFor;
            blockedUntil = until;
            // One atomic step in the store: a longer standing block is kept.
            await _store.SetBlockAsync(flow.UserId, new ActionBlock(action.Name, deny.Reason, deny.Code, until), blockFor, cancellationToken).ConfigureAwait(false);
        }

        Log.ActionDenied(_logger, action.Name, ActionTriggerNames.ToName(trigger), flow.UserId, count, blockedUntil);
        return flow.Denied(new ActionDenial(action.Name, deny.Reason, deny.Code, deny.Details?.DeepClone(), blockedUntil, FromBlock: false));
    }

    private async Task<ActionFlowOutcome> PauseAsync(FlowRun flow, FaableAction action, ActionTrigger trigger, string requestedUrl, int continueNext, int postLoginNext, CancellationToken cancellationToken)
    {
        var (state, storeKey) = _protector.Create();
        var expiresAt = _time.GetUtcNow() + _stateLifetime;
        var paused = new PausedFlow(
            flow.Context.ClientId,
            flow.UserId,
            flow.Context.SessionId,
            _actionSetHash.Value,
            flow.IsSignup,
            continueNext,
            postLoginNext,
            expiresAt,
            flow.Event.Client,
            flow.Event.Connection,
            flow.Event.Request,
            flow.Event.Stats.LanguageChanged,
            flow.Reviews.ToArray());
        var payload = JsonSerializer.SerializeToUtf8Bytes(paused, ActionsJsonContext.Default.PausedFlow);

        // Kept past its expiry so a late continue is told "expired", not "unknown".
        await _store.SaveFlowStateAsync(storeKey, payload, _stateLifetime + ExpiredGrace, action.Name, cancellationToken).ConfigureAwait(false);
        Log.ActionRedirected(_logger, action.Name, ActionTriggerNames.ToName(trigger), flow.UserId, expiresAt);
        return flow.Redirected(new ActionRedirect(action.Name, requestedUrl, RedirectUrls.AppendState(requestedUrl, state), state, expiresAt));
    }

    // A standing blockFor verdict denies the whole login before any action runs, and counts as a denial.
    private async Task<ActionFlowOutcome?> CheckBlockAsync(FlowRun flow, ActionTrigger trigger, CancellationToken cancellationToken)
    {
        var block = await _store.GetBlockAsync(flow.UserId, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (block is null || block.BlockedUntil <= now)
        {
            return null;
        }

        await _store.IncrementDenyCountAsync(flow.UserId, block.ActionName, _denyCountWindow, cancellationToken).ConfigureAwait(false);
        flow.Trace.Add(new ActionTraceEntry(block.ActionName, trigger, ActionStepOutcome.Blocked, TimeSpan.Zero, [], [], false, null));
        flow.AuditRows.Add(new ActionAuditRow(now, flow.UserId, flow.Context.ClientId, block.ActionName, trigger, ActionStepOutcome.Blocked, false, block.Reason, block.Code, null));
        _metrics.ActionRan(ActionTriggerNames.ToName(trigger), OutcomeTag(ActionStepOutcome.Blocked), null, TimeSpan.Zero);
        Log.LoginBlocked(_logger, flow.UserId, block.ActionName, block.BlockedUntil);
        return flow.Denied(new ActionDenial(block.ActionName, block.Reason, block.Code, null, block.BlockedUntil, FromBlock: true));
    }

    private static string OutcomeTag(ActionStepOutcome outcome) => outcome switch
    {
        ActionStepOutcome.Completed => "completed",
        ActionStepOutcome.Denied => "denied",
        ActionStepOutcome.Redirected => "redirected",
        ActionStepOutcome.Failed => "failed",
        _ => "blocked",
    };
}
