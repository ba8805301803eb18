using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Faable.Actions.Events;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// Runs JavaScript actions in Jint the way Faable runs them: the file unchanged as a CommonJS module, one fresh
/// engine per run (nothing a script does to built-ins survives it), the parsed script cached by source hash and
/// shared across threads, and every limit of <see cref="ActionLimits"/> enforced, awaits included.
/// </summary>
internal sealed class JavaScriptActionRuntime : IActionRuntime
{
    private const int MaxCachedScripts = 1024;

    private static readonly ScriptPreparationOptions s_preparation = new() { CollectReferencedGlobals = true };
    private static readonly Lazy<HashSet<string>> s_builtInGlobals = new(CollectBuiltInGlobals);

    private readonly ConcurrentDictionary<string, Lazy<JsPreparedAction>> _cache = new(StringComparer.Ordinal);

    // The same action object runs many times: find its prepared script by the identity of its source string before
    // hashing the text.
    private readonly ConditionalWeakTable<string, JsPreparedAction> _bySourceInstance = [];

    /// <summary>Globals the emulator adds to the standard built-ins.</summary>
    internal static readonly IReadOnlyList<string> ProvidedGlobals =
    [
        "console", "setTimeout", "clearTimeout", "queueMicrotask", "fetch", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "atob", "btoa", "crypto", "structuredClone", "DOMException",
    ];

    public ActionLanguage Language => ActionLanguage.JavaScript;

    public IReadOnlySet<ActionTrigger> Prepare(FaableAction action, ActionRunEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(environment);
        var prepared = GetPrepared(action.Code);
        if (prepared.Error is not null)
        {
            throw new ActionScriptException(action.Name, prepared.Error, prepared.ErrorLine, prepared.ErrorColumn);
        }

        if (prepared.Exports is { } known)
        {
            return known;
        }

        // What a module exports is known only once it has run, as in Node: load it in the sandbox (no handler is
        // called, no fetch answered, console discarded) and read module.exports.
        var exported = new List<string>();
        var inspection = environment with { Fetch = null };
        try
        {
            new JsRun(action, ActionTrigger.PostLogin, prepared, new LoginEvent { User = new LoginUser { UserId = "inspection" } }, new ActionRecorder(environment.Limits), inspection, exported)
                .RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (FaableActionException)
        {
            // The module fails while it loads (e.g. a top-level require): every run will fail with that error, as
            // in Node, and report it where runs report errors. Only the trigger it was registered for is known.
            return new HashSet<ActionTrigger> { action.Trigger };
        }

        var triggers = new HashSet<ActionTrigger>();
        foreach (var trigger in new[] { ActionTrigger.PostLogin, ActionTrigger.Continue })
        {
            if (exported.Contains(JsDriver.HandlerName(trigger)))
            {
                triggers.Add(trigger);
            }
        }

        prepared.Exports = triggers;
        return triggers;
    }

    public IReadOnlyList<string> Warnings(FaableAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var prepared = GetPrepared(action.Code);
        return prepared.UnknownGlobals.Count == 0 ? [] : [DescribeUnknownGlobals(prepared.UnknownGlobals)];
    }

    public Task RunAsync(FaableAction action, ActionTrigger trigger, LoginEvent loginEvent, ActionRecorder recorder, ActionRunEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(loginEvent);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(environment);
        cancellationToken.ThrowIfCancellationRequested();

        var prepared = GetPrepared(action.Code);
        if (prepared.Error is not null)
        {
            throw new ActionScriptException(action.Name, prepared.Error, prepared.ErrorLine, prepared.ErrorColumn);
        }

        return new JsRun(action, trigger, prepared, loginEvent, recorder, environment).RunAsync(cancellationToken);
    }

    private JsPreparedAction GetPrepared(string code)
    {
        if (_bySourceInstance.TryGetValue(code, out var known))
        {
            return known;
        }

        var prepared = GetPreparedByHash(code);
        _bySourceInstance.AddOrUpdate(code, prepared);
        return prepared;
    }

    private JsPreparedAction GetPreparedByHash(string code)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached.Value;
        }

        if (_cache.Count >= MaxCachedScripts)
        {
            _cache.Clear();
        }

        return _cache.GetOrAdd(key, _ => new Lazy<JsPreparedAction>(() => PrepareCore(code))).Value;
    }

    private static JsPreparedAction PrepareCore(string code)
    {
        Prepared<Acornima.Ast.Script> script;
        try
        {
            script = Engine.PrepareScript(JsDriver.Wrap(code), JsDriver.SourceName, strict: false, s_preparation);
        }
        catch (ScriptPreparationException ex)
        {
            var (line, column) = ParseErrorPosition(ex);
            return new JsPreparedAction("the source does not parse: " + (ex.InnerException?.Message ?? ex.Message), line, column);
        }

        // A name that is neither built in nor provided is not an error before running: Node throws a catchable
        // ReferenceError only when the name is reached, and never under typeof. It is reported, and named again in
        // the ReferenceError if the run reaches it.
        var builtIns = s_builtInGlobals.Value;
        var referenced = script.ReferencedGlobals!.ToList();
        var unknown = referenced.Where(name => !builtIns.Contains(name) && !ProvidedGlobals.Contains(name) && name != JsDriver.Runner).ToList();
        return new JsPreparedAction(script, JsSourceFacts.From(code, referenced), unknown);
    }

    /// <summary>What to tell about a name the action uses and the emulator does not provide.</summary>
    internal static string DescribeUnknownGlobals(IEnumerable<string> names) =>
        $"the action names globals the Faable Actions emulator does not provide: {string.Join(", ", names)}; reaching one throws a ReferenceError. " +
        $"Available besides the JavaScript built-ins: {string.Join(", ", ProvidedGlobals)}; host modules (require) are not available.";

    private static (int? Line, int? Column) ParseErrorPosition(ScriptPreparationException ex)
    {
        if (ex.InnerException is Acornima.ParseErrorException parse)
        {
            var column = parse.LineNumber == 1 ? parse.Column - JsDriver.PrefixLength : parse.Column;
            return (parse.LineNumber, Math.Max(1, column));
        }

        return (null, null);
    }

    private static HashSet<string> CollectBuiltInGlobals()
    {
        using var engine = new Engine(JsEngineOptions.ForInspection);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in engine.Global.GetOwnPropertyKeys(Jint.Runtime.Types.String))
        {
            names.Add(key.ToString());
        }

        return names;
    }
}
