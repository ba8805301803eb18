using Faable.Actions.Events;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// One execution of one action: a fresh engine, a fresh <c>event</c> and <c>api</c>, and the loop that drives the
/// handler's promise to settlement within the budget. The driver runs in one evaluation, which drains every
/// microtask; the loop only steps in for what needs the host: completed <c>fetch</c> calls and virtual timers.
/// </summary>
internal sealed class JsRun
{
    private readonly FaableAction _action;
    private readonly ActionTrigger _trigger;
    private readonly JsPreparedAction _prepared;
    private readonly LoginEvent _loginEvent;
    private readonly ActionRecorder _recorder;
    private readonly ActionRunEnvironment _environment;
    private readonly JsTimers _timers = new();
    private readonly List<string>? _exports;
    private static readonly CancellationToken s_alreadyCancelled = new(canceled: true);
    private JsValue? _failure;
    private JsValue? _event;
    private JsValue? _api;

    // An exception thrown by a queueMicrotask callback: Node reports it as uncaught, which ends the action.
    private JsValue? _uncaught;

    // With exports, the run only loads the module: the handler names it exports are added there and no handler is
    // called.
    public JsRun(FaableAction action, ActionTrigger trigger, JsPreparedAction prepared, LoginEvent loginEvent, ActionRecorder recorder, ActionRunEnvironment environment, List<string>? exports = null)
    {
        _exports = exports;
        _action = action;
        _trigger = trigger;
        _prepared = prepared;
        _loginEvent = loginEvent;
        _recorder = recorder;
        _environment = environment;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var limits = _environment.Limits;
        // The budget's wall clock is armed only if the run outlives its first step: within one interpreter entry the
        // engine's own timeout already ends a busy script at the budget, and most actions finish in that step.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var timeSystem = new VirtualTimeSystem(_environment.Time, _timers);
        var run = new JsRunConstraint(limits);
        using var engine = new Engine(options => JsEngineOptions.Configure(options, limits, timeSystem, run, budget.Token));
        run.Attach(engine);
        var fetch = new JsFetch(engine, _environment.Fetch, budget.Token);
        try
        {
            JsAllocationGuards.Install(engine, limits, run, buffersOnFirstUse: !_prepared.Facts.NeedsPrelude);
            Install(engine, fetch);
            if (_prepared.Facts.NeedsPrelude)
            {
                JsPrelude.Install(engine, JsRunConstraint.MaxSingleAllocation(limits));
            }

            var script = _prepared.Script;
            var result = Step(engine, script, args => Load(engine, args.Length > 0 ? args[0] : JsValue.Undefined));
            if (!IsSettled(result))
            {
                // Later steps are new interpreter entries, each of which restarts the engine's timeout: from here on
                // the wall clock ends a busy step at the budget, whichever step it is.
                var left = limits.Timeout - _timers.RealElapsed;
                budget.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }

            while (!IsSettled(result))
            {
                ThrowIfOverBudget(limits);
                if (fetch.HasInFlight)
                {
                    var wait = limits.Timeout - _timers.RunClock;
                    if (_timers.NextDue is { } due && due - _timers.VirtualSkip < wait)
                    {
                        wait = due - _timers.VirtualSkip;
                    }

                    await fetch.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, budget.Token).ConfigureAwait(false);
                    budget.Token.ThrowIfCancellationRequested();
                    ThrowIfOverBudget(limits);
                    // Settling a promise runs the jobs it queues at once: do it inside a step (see JsDriver).
                    var delivered = false;
                    Step(engine, JsDriver.Step, _ =>
                    {
                        delivered = fetch.DeliverCompleted();
                        return JsValue.Undefined;
                    });
                    if (delivered)
                    {
                        continue;
                    }

                    if (_timers.NextDue is null)
                    {
                        continue;
                    }
                }

                if (_timers.NextDue is { } next)
                {
                    if (_timers.RealElapsed + next > limits.Timeout)
                    {
                        // The handler waits on a timer that would fire after the budget: on Faable it times out.
                        throw new ActionTimeoutException(_action.Name, limits.Timeout);
                    }

                    var (callback, arguments) = _timers.TakeNext();
                    Step(engine, JsDriver.Step, _ => engine.Call(callback, JsValue.Undefined, arguments));
                    continue;
                }

                // Nothing is pending that could settle the handler's promise: it never will.
                throw new ActionTimeoutException(_action.Name, limits.Timeout);
            }

            ThrowIfOverBudget(limits);
        }
        catch (Exception ex) when (ex is not FaableActionException)
        {
            throw JsErrorTranslator.Translate(ex, _action.Name, limits, cancellationToken, _prepared.UnknownGlobals);
        }
        finally
        {
            // Requests the action started and never awaited must not outlive it.
            if (fetch.HasInFlight)
            {
                await budget.CancelAsync().ConfigureAwait(false);
            }
        }

        if (_failure is not null)
        {
            throw JsErrorTranslator.FromThrownValue(_failure, _action.Name, null, null, _prepared.UnknownGlobals);
        }
    }

    /// <summary>Whether the handler's result is final; a rejection is kept in <see cref="_failure"/>.</summary>
    private bool IsSettled(JsValue result)
    {
        if (_uncaught is not null)
        {
            _failure = _uncaught;
            return true;
        }

        if (!result.IsPromise())
        {
            return true;
        }

        try
        {
            // With a cancelled token, a pending promise answers at once instead of waiting.
            result.UnwrapIfPromise(s_alreadyCancelled);
            return true;
        }
        catch (Jint.Runtime.PromiseRejectedException rejected)
        {
            _failure = rejected.RejectedValue;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void ThrowIfOverBudget(ActionLimits limits)
    {
        if (_timers.RunClock > limits.Timeout)
        {
            throw new ActionTimeoutException(_action.Name, limits.Timeout);
        }
    }

    private void Install(Engine engine, JsFetch fetch)
    {
        _event = JsEventMapper.Map(engine, _loginEvent, _prepared.Facts);
        _api = JsApiFactory.Create(engine, _recorder, _environment.Limits);

        if (JsNormalize.Unavailable)
        {
            JsNormalize.InstallGuard(engine);
        }

        // Only the globals the source names are built (all of them when it reaches globals through globalThis).
        var facts = _prepared.Facts;
        var recorder = _recorder;
        var timers = _timers;
        const Jint.Runtime.Descriptors.PropertyFlag Flags = Jint.Runtime.Descriptors.PropertyFlag.ConfigurableEnumerableWritable;
        if (facts.NeedsConsole)
        {
            engine.Advanced.AddLazyGlobal("console", e => JsConsole.Create(e, recorder), Flags);
        }

        if (facts.NeedsTimers)
        {
            engine.Advanced.AddLazyGlobal("setTimeout", e => new ClrFunction(e, "setTimeout", (_, args) => SetTimeout(e, timers, args), 2), Flags);
            engine.Advanced.AddLazyGlobal("clearTimeout", e => new ClrFunction(e, "clearTimeout", (_, args) =>
            {
                if (args.Length > 0 && args[0].IsNumber())
                {
                    timers.Clear((int)args[0].AsNumber());
                }

                return JsValue.Undefined;
            }, 1), Flags);
        }

        if (facts.NeedsQueueMicrotask)
        {
            engine.Global.FastSetProperty("queueMicrotask", new Jint.Runtime.Descriptors.PropertyDescriptor(JsMicrotasks.CreateQueueMicrotask(engine, e => _uncaught ??= e), Flags));
        }

        if (facts.NeedsFetch)
        {
            engine.Advanced.AddLazyGlobal("fetch", _ => fetch.CreateFunction(), Flags);
        }
    }

    private static JsNumber SetTimeout(Engine engine, JsTimers timers, JsValue[] args)
    {
        if (args.Length == 0 || !args[0].IsCallable())
        {
            throw new Jint.Runtime.JavaScriptException(engine.Intrinsics.TypeError, "setTimeout needs a function (strings are not compiled).");
        }

        var ms = args.Length > 1 ? TypeConverterToNumber(args[1]) : 0;
        var delay = double.IsNaN(ms) || ms < 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue));
        var rest = args.Length > 2 ? args[2..] : [];
        return JsNumber.Create(timers.Add(args[0], rest, delay));
    }

    private static double TypeConverterToNumber(JsValue value) => value.IsNumber() ? value.AsNumber() : double.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0;

    /// <summary>
    /// Evaluates one step's script with the runner global set to <paramref name="work"/>; the runner removes the
    /// global before doing the work, so no code of the action can see it.
    /// </summary>
    private static JsValue Step(Engine engine, in Jint.Prepared<Acornima.Ast.Script> script, Func<JsValue[], JsValue> work)
    {
        engine.Global.FastSetDataProperty(JsDriver.Runner, new ClrFunction(engine, "", (_, args) =>
        {
            engine.Global.RemoveOwnProperty(JsDriver.Runner);
            return work(args);
        }, 1));
        return engine.Evaluate(in script);
    }

    /// <summary>
    /// Loads the module as Node's CommonJS loader does (<c>this</c> and <c>exports</c> are <c>module.exports</c>),
    /// picks the trigger's handler from <c>module.exports</c> as it is after loading, calls it with the run's
    /// <c>event</c> and <c>api</c>, and returns its result through the realm's <c>Promise.resolve</c> as it was before
    /// the action ran, so that a returned thenable is followed as Node's <c>await</c> follows it.
    /// </summary>
    private JsValue Load(Engine engine, JsValue moduleFunction)
    {
        // Read before the module runs: the realm's own Promise and Promise.resolve, whatever the action does to them.
        var promise = engine.Global.Get("Promise");
        var resolve = promise.AsObject().Get("resolve");
        var exports = new JsObject(engine);
        var module = new JsObject(engine);
        module.FastSetDataProperty("exports", exports);
        engine.Call(moduleFunction, exports, [exports, module, CreateRequire(engine)]);

        var loaded = module.Get("exports");
        if (_exports is not null)
        {
            // Looked up as the handler call would (own or inherited), for both triggers.
            foreach (var exportedTrigger in new[] { ActionTrigger.PostLogin, ActionTrigger.Continue })
            {
                var handlerName = JsDriver.HandlerName(exportedTrigger);
                if (loaded.IsObject() && loaded.AsObject().Get(handlerName).IsCallable())
                {
                    _exports.Add(handlerName);
                }
            }

            return JsValue.Undefined;
        }

        var name = JsDriver.HandlerName(_trigger);
        var handler = loaded.IsObject() ? loaded.AsObject().Get(name) : JsValue.Undefined;
        if (!handler.IsCallable())
        {
            var exported = loaded.IsObject()
                ? loaded.AsObject().GetOwnPropertyKeys(Jint.Runtime.Types.String).Select(k => k.ToString()).ToList()
                : [];
            var what = exported.Count == 0 ? "nothing" : string.Join(", ", exported);
            var trigger = _trigger == ActionTrigger.Continue ? "continue" : "post-login";
            throw new JsHostFault($"the action runs on the {trigger} trigger but exports no function '{name}' (exports.{name} = async (event, api) => {{ … }}); it exports: {what}.");
        }

        var returned = engine.Call(handler, JsValue.Undefined, [_event!, _api!]);
        return engine.Call(resolve, promise, [returned]);
    }

    private static ClrFunction CreateRequire(Engine engine) => new(engine, "require", (_, args) =>
        throw JsApiFactory.Fault(engine, $"require('{(args.Length > 0 ? args[0].ToString() : "")}'): require of host modules is not available in Faable Actions; the action must be self-contained (use fetch for your own APIs)."), 1);
}
