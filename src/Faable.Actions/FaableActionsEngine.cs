using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Faable.Actions.Events;
using Faable.Actions.Flow;
using Faable.Actions.Internal;
using Faable.Actions.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Faable.Actions;

/// <summary>
/// Runs a login through the actions, as Faable does: the post-login chain on <see cref="RunPostLoginAsync"/>, and
/// after a redirect the continue chain followed by the rest of the post-login chain on <see cref="ContinueAsync"/>.
/// Thread-safe; build one per set of actions and share it.
/// </summary>
/// <remarks>
/// Ordering rules: actions of a trigger run in ascending <see cref="FaableAction.Order"/>, ties in the order they
/// were given; disabled actions are skipped. A deny lets the current action finish, then stops the chain; a
/// redirect in the same action is ignored (deny wins). The first redirect pauses the chain after the current
/// action. Review flags are kept whatever happens next. An action error (timeout, limit, script error) ends the
/// flow as <see cref="ActionFlowResult.Failed"/>: no tokens. At most <see cref="ActionLimits.MaxConcurrentExecutions"/>
/// actions run at once across all calls; a run that gets no slot within <see cref="ActionLimits.ConcurrencyWait"/>
/// fails with <see cref="ActionLimitExceededException"/>.
/// </remarks>
public sealed partial class FaableActionsEngine
{
    private static readonly TimeSpan ExpiredGrace = TimeSpan.FromMinutes(10);
    private readonly FaableAction[] _postLogin;
    private readonly FaableAction[] _continue;
    private readonly Dictionary<ActionLanguage, IActionRuntime> _runtimes;
    private readonly ActionLimits _limits;
    private readonly TimeSpan _stateLifetime;
    private readonly TimeSpan _denyCountWindow;
    private readonly TimeProvider _time;
    private readonly GuardedFlowStore _store;
    private readonly ResumeStateProtector _protector;
    private readonly ActionRunEnvironment _environment;
    private readonly ExecutionSlots _slots;
    private readonly Lazy<string> _actionSetHash;
    private readonly ILogger _logger;
    private readonly ActionMetrics _metrics;

    /// <summary>Creates an engine over a set of actions.</summary>
    /// <param name="actions">The actions of both triggers, in any order; disabled ones are kept (they count in the action-set check) but never run.</param>
    /// <param name="options">
    /// The settings. Without <see cref="FaableActionsOptions.ResumeStateKey"/> the engine signs resume states with an
    /// ephemeral random key of its own (fine for tests and a single short-lived process; a paused login then resumes
    /// only on this engine). Registered with <c>AddFaableActions</c> outside Development, the key is required.
    /// </param>
    /// <param name="timeProvider">The one clock of the engine: <c>Date.now()</c> in scripts, resume-state expiry, <c>blockFor</c>, <c>deny_count</c> windows, <c>account_age_ms</c>. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="store">Where paused flows, blocks and counters live. Defaults to a new <see cref="InMemoryActionFlowStore"/> on <paramref name="timeProvider"/>.</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="meterFactory">Metrics (meter <c>Faable.Actions</c>); a process-wide meter by default.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed), or two actions of one trigger share a name.</exception>
    /// <exception cref="ActionScriptException">An enabled action does not compile or exports no handler for its trigger.</exception>
    /// <exception cref="NotSupportedException">No runtime is available for an action's language.</exception>
    public FaableActionsEngine(
        IEnumerable<FaableAction> actions,
        FaableActionsOptions options,
        TimeProvider? timeProvider = null,
        IActionFlowStore? store = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(actions, options, timeProvider, store, loggerFactory, meterFactory, ActionRuntimes.CreateDefault())
    {
    }

    internal FaableActionsEngine(
        IEnumerable<FaableAction> actions,
        FaableActionsOptions options,
        TimeProvider? timeProvider,
        IActionFlowStore? store,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory,
        IEnumerable<IActionRuntime> runtimes)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtimes);
        var errors = FaableActionsOptionsValidator.Collect(options, checkFolder: false, requireKey: false);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid actions options: " + string.Join(" ", errors), nameof(options));
        }

        var all = actions.ToArray();
        foreach (var action in all)
        {
            ArgumentNullException.ThrowIfNull(action, nameof(actions));
        }

        var duplicate = all.GroupBy(a => (a.Trigger, a.Name)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two {ActionTriggerNames.ToName(duplicate.Key.Trigger)} actions are named '{duplicate.Key.Name}'; names identify actions in traces and deny_count, rename one.", nameof(actions));
        }

        Actions = Array.AsReadOnly(all);
        _postLogin = Chain(all, ActionTrigger.PostLogin);
        _continue = Chain(all, ActionTrigger.Continue);
        _runtimes = [];
        foreach (var runtime in runtimes)
        {
            _runtimes[runtime.Language] = runtime;
        }

        // Validated above; the engine reads the limits at each run, so keep the options unchanged after construction.
        _limits = options.Limits;
        _stateLifetime = options.StateLifetime;
        _denyCountWindow = options.DenyCountWindow;
        _time = timeProvider ?? TimeProvider.System;
        _store = new GuardedFlowStore(store ?? new InMemoryActionFlowStore(_time));
        // Without a key (an engine built in code, e.g. for a test), resume states are signed with a random key of this
        // engine alone: they resume on this instance until it is gone, never on another.
        _protector = new ResumeStateProtector(options.ResumeStateKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        _environment = new ActionRunEnvironment(_limits, _time, options.FetchHandler);
        _slots = new ExecutionSlots(_limits.MaxConcurrentExecutions, _limits.ConcurrencyWait);
        // Needed only when a flow pauses or resumes; computing it lazily keeps a fresh engine cheap.
        _actionSetHash = new Lazy<string>(() => HashActionSet(all));
        _logger = loggerFactory?.CreateLogger<FaableActionsEngine>() ?? NullLogger<FaableActionsEngine>.Instance;
        _metrics = ActionMetrics.Create(meterFactory);

        foreach (var action in _postLogin.Concat(_continue))
        {
            var runtime = RuntimeFor(action);
            runtime.Prepare(action, action.Trigger);
            foreach (var warning in runtime.Warnings(action))
            {
                Log.ActionWarning(_logger, action.Name, ActionTriggerNames.ToName(action.Trigger), warning);
            }
        }

        Log.EngineCreated(_logger, _postLogin.Length, _continue.Length, all.Count(a => !a.Enabled));
    }

    /// <summary>The actions this engine was built with, as given (disabled ones included).</summary>
    public IReadOnlyList<FaableAction> Actions { get; }

    /// <summary>
    /// Runs the post-login chain for a login that just authenticated. <c>event.stats.is_new_user</c> is taken from
    /// <paramref name="loginEvent"/>'s <see cref="LoginStats.IsNewUser"/>: set it on the login that created the user.
    /// A standing <c>blockFor</c> of the user denies at once without running any action.
    /// </summary>
    /// <param name="loginEvent">The event, as the actions will see it; <c>stats</c> are computed per action.</param>
    /// <param name="context">The client and browser session of the login; a paused flow is bound to them.</param>
    /// <param name="cancellationToken">Cancels the run (the flow then has no outcome; the host must not issue tokens).</param>
    /// <returns>Allowed, denied, redirected (with the resume state) or failed, with the trace. A failing <see cref="IActionFlowStore"/> makes the outcome failed with an <see cref="ActionFlowStoreException"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="context"/> names another client than <c>event.client.client_id</c>, or the user id is empty.</exception>
    public async Task<ActionFlowOutcome> RunPostLoginAsync(LoginEvent loginEvent, FlowContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loginEvent);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(loginEvent.User, nameof(loginEvent));
        ArgumentException.ThrowIfNullOrWhiteSpace(loginEvent.User.UserId, nameof(loginEvent));
        if (!string.Equals(context.ClientId, loginEvent.Client.ClientId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The flow context is for client '{context.ClientId}' but event.client.client_id is '{loginEvent.Client.ClientId}'; pass the same client.", nameof(context));
        }

        var flow = new FlowRun(loginEvent, context, loginEvent.Stats.IsNewUser, []);
        try
        {
            return await CheckBlockAsync(flow, ActionTrigger.PostLogin, cancellationToken).ConfigureAwait(false)
                ?? await RunChainsAsync(flow, continueStart: null, postLoginStart: 0, cancellationToken).ConfigureAwait(false);
        }
        catch (ActionFlowStoreException ex)
        {
            return StoreFailed(flow, ex);
        }
    }

    // The store is down or failing: the login fails closed, with the trace of what ran so far.
    private ActionFlowOutcome StoreFailed(FlowRun? flow, ActionFlowStoreException error)
    {
        Log.FlowStoreFailed(_logger, error.Operation, error.InnerException?.GetType().Name ?? nameof(ActionFlowStoreException), error);
        _metrics.StoreFailed(error.Operation, error.InnerException?.GetType().Name ?? nameof(ActionFlowStoreException));
        return flow is null ? FlowRun.FailedBeforeRun(error) : flow.Failed(error);
    }

    private IActionRuntime RuntimeFor(FaableAction action) =>
        _runtimes.TryGetValue(action.Language, out var runtime)
            ? runtime
            : throw new NotSupportedException($"No runtime runs {action.Language} actions (action '{action.Name}').");

    private static FaableAction[] Chain(FaableAction[] all, ActionTrigger trigger) =>
        all.Where(a => a.Trigger == trigger && a.Enabled).OrderBy(a => a.Order).ToArray();

    // Everything that changes what a resumed flow would run: a paused flow only continues on the same set.
    private static string HashActionSet(FaableAction[] all)
    {
        var builder = new StringBuilder();
        foreach (var action in all.OrderBy(a => a.Trigger).ThenBy(a => a.Order))
        {
            foreach (var field in new[] { action.Name, ActionTriggerNames.ToName(action.Trigger), action.Order.ToString(System.Globalization.CultureInfo.InvariantCulture), action.Enabled ? "1" : "0", action.Language.ToString(), action.Code })
            {
                builder.Append(field.Length).Append(':').Append(field);
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
