using System.Text.Json;
using Faable.Actions.Events;
using Faable.Actions.Flow;
using Faable.Actions.Internal;

namespace Faable.Actions;

public sealed partial class FaableActionsEngine
{
    /// <summary>
    /// Resumes a paused login when the browser comes back through <c>/continue</c>: checks the resume state, consumes
    /// it (single use, compare-and-delete), then runs the continue chain (<c>onContinuePostLogin</c>, with
    /// <c>event.stats.is_new_user</c> false) and then the rest of the post-login chain after the action that paused.
    /// A refused state runs no action and comes back as <see cref="ActionFlowResult.Rejected"/> with the reason.
    /// </summary>
    /// <param name="state">The <c>state</c> query value, exactly as received.</param>
    /// <param name="updatedUser">The user as it is now (with what the redirect page collected); must be the user of the paused flow.</param>
    /// <param name="context">The client and browser session of this request; must be those of the paused flow.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>Allowed, denied, redirected again, failed, or rejected. A failing <see cref="Stores.IActionFlowStore"/> makes the outcome failed with an <see cref="ActionFlowStoreException"/>; the state is then never continued.</returns>
    public async Task<ActionFlowOutcome> ContinueAsync(string state, LoginUser updatedUser, FlowContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updatedUser);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(updatedUser.UserId, nameof(updatedUser));

        // The checks, in order: form, signature, existence, expiry, bindings, action set, then the atomic consume.
        if (!_protector.TryOpen(state, out var storeKey, out var rejection))
        {
            return Reject(rejection);
        }

        FlowRun? flow = null;
        try
        {
            return await ConsumeAndContinueAsync(storeKey, updatedUser, context, f => flow = f, cancellationToken).ConfigureAwait(false);
        }
        catch (ActionFlowStoreException ex)
        {
            // Fail closed: without a successful atomic consume no action of the continue chain runs.
            return StoreFailed(flow, ex);
        }
    }

    private async Task<ActionFlowOutcome> ConsumeAndContinueAsync(string storeKey, LoginUser updatedUser, FlowContext context, Action<FlowRun> started, CancellationToken cancellationToken)
    {
        var payload = await _store.GetFlowStateAsync(storeKey, cancellationToken).ConfigureAwait(false);
        if (payload is null || Read(payload) is not { } paused)
        {
            return Reject(ResumeStateRejection.UnknownOrUsed);
        }

        if (paused.ExpiresAt <= _time.GetUtcNow())
        {
            await _store.TryDeleteFlowStateAsync(storeKey, cancellationToken).ConfigureAwait(false);
            return Reject(ResumeStateRejection.Expired);
        }

        // A foreign request does not burn the state: the legitimate browser can still continue.
        if (!string.Equals(paused.ClientId, context.ClientId, StringComparison.Ordinal))
        {
            return Reject(ResumeStateRejection.WrongClient);
        }

        if (!string.Equals(paused.SessionId, context.SessionId, StringComparison.Ordinal))
        {
            return Reject(ResumeStateRejection.WrongSession);
        }

        if (!string.Equals(paused.UserId, updatedUser.UserId, StringComparison.Ordinal))
        {
            return Reject(ResumeStateRejection.WrongUser);
        }

        if (!string.Equals(paused.ActionSetHash, _actionSetHash.Value, StringComparison.Ordinal))
        {
            await _store.TryDeleteFlowStateAsync(storeKey, cancellationToken).ConfigureAwait(false);
            return Reject(ResumeStateRejection.ActionsChanged);
        }

        if (!await _store.TryDeleteFlowStateAsync(storeKey, cancellationToken).ConfigureAwait(false))
        {
            return Reject(ResumeStateRejection.UnknownOrUsed);
        }

        var loginEvent = new LoginEvent
        {
            User = updatedUser,
            Client = paused.Client,
            Connection = paused.Connection,
            Request = paused.Request,
            Stats = new LoginStats { LanguageChanged = paused.LanguageChanged },
        };
        var flow = new FlowRun(loginEvent, context, paused.IsSignup, paused.Reviews);
        started(flow);
        return await CheckBlockAsync(flow, ActionTrigger.Continue, cancellationToken).ConfigureAwait(false)
            ?? await RunChainsAsync(flow, paused.ContinueStart, paused.PostLoginNext, cancellationToken).ConfigureAwait(false);
    }

    private ActionFlowOutcome Reject(ResumeStateRejection rejection)
    {
        Log.ResumeStateRejected(_logger, rejection.ToString());
        _metrics.ResumeRejected(rejection.ToString());
        return FlowRun.Rejected(rejection);
    }

    private PausedFlow? Read(byte[] payload)
    {
        try
        {
            var paused = JsonSerializer.Deserialize(payload, ActionsJsonContext.Default.PausedFlow);
            if (paused is null || paused.ClientId is null || paused.UserId is null || paused.SessionId is null || paused.ActionSetHash is null
                || paused.Client is null || paused.Connection is null || paused.Request is null || paused.Reviews is null)
            {
                throw new JsonException("The paused flow lacks required members.");
            }

            return paused;
        }
        catch (JsonException ex)
        {
            Log.PausedFlowUnreadable(_logger, ex);
            return null;
        }
    }
}
