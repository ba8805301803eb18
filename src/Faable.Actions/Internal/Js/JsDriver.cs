using Acornima.Ast;
using Jint;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// The text around an action's source, and the scripts through which the host steps the run. The source becomes the
/// body of a CommonJS function of <c>(exports, module, require)</c>, handed to the host's <see cref="Runner"/> as the
/// script's first act; the runner loads the module, picks the handler for the trigger and calls it, all in one
/// evaluation, the way Node's loader and Faable's runner do it: no queued job runs between the module's last line and
/// the handler's first, and the jobs the handler queues run before the evaluation ends.
/// </summary>
/// <remarks>
/// Every step of a run (the start, each timer, each delivery of a fetch) is the evaluation of a prepared script, never
/// a bare call into the interpreter: code running under a script evaluation makes its regular expressions under the
/// run's current time limit, where code called from outside one would use the limit the engine was created with.
/// The runner global exists only until the runner is called, which happens before any line of the action runs, so
/// the action never sees it. The prefix sits on the source's first line, so line numbers match the file; only
/// columns on line 1 shift, by <see cref="PrefixLength"/>.
/// </remarks>
internal static class JsDriver
{
    /// <summary>The source name used in stacks and locations.</summary>
    public const string SourceName = "action.js";

    /// <summary>The global through which a step's script reaches the host; removed by the host when called.</summary>
    public const string Runner = "$faable$run";

    public const string Prefix = Runner + "((function (exports, module, require) {";

    public const string Suffix = "\n}))";

    /// <summary>A later step (a timer's callback, the delivery of fetch results) and the jobs it queues.</summary>
    public static readonly Prepared<Script> Step = Engine.PrepareScript(Runner + "()", "faable-step.js", strict: true);

    public static int PrefixLength => Prefix.Length;

    public static string Wrap(string code) => Prefix + code + Suffix;

    public static string HandlerName(ActionTrigger trigger) =>
        trigger == ActionTrigger.Continue ? "onContinuePostLogin" : "onExecutePostLogin";
}
