using Acornima.Ast;
using Jint;
using Jint.Native;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// <c>queueMicrotask</c> (HTML §8.1.7.2): the callback runs as a job of the microtask queue, after the current script
/// and before any timer, in order with promise reactions queued around it. Jint exposes no way to enqueue a job, so the
/// callback is made the reaction of an already resolved promise: such a reaction is queued at once, which is exactly
/// when queueMicrotask queues. Built on the realm's own Promise, captured before the action runs.
/// </summary>
internal static class JsMicrotasks
{
    private static readonly Lazy<Prepared<Script>> s_factory = new(() => Engine.PrepareScript(
        """
        (function (resolved, then, uncaught) {
          return function queueMicrotask(callback) {
            if (typeof callback !== 'function') {
              throw new TypeError("Failed to execute 'queueMicrotask': The callback provided as parameter 1 is not a function.")
            }
            then.call(resolved, () => { try { callback() } catch (e) { uncaught(e) } })
          }
        })
        """,
        "faable-microtasks.js",
        strict: true));

    /// <summary>Creates the function; an exception its callback throws goes to <paramref name="uncaught"/>, as Node reports it as uncaught.</summary>
    public static JsValue CreateQueueMicrotask(Engine engine, Action<JsValue> uncaught)
    {
        var script = s_factory.Value;
        var factory = engine.Evaluate(in script);
        // Called before the action's code runs, so this is the realm's own Promise.
        var promise = engine.Global.Get("Promise").AsObject();
        var resolved = engine.Call(promise.Get("resolve"), promise, [JsValue.Undefined]);
        var report = new Jint.Runtime.Interop.ClrFunction(engine, "uncaught", (_, args) =>
        {
            uncaught(args.Length > 0 ? args[0] : JsValue.Undefined);
            return JsValue.Undefined;
        });
        return engine.Call(factory, JsValue.Undefined, [resolved, promise.Get("prototype").AsObject().Get("then"), report]);
    }
}
