namespace Faable.Actions.Internal.Js;

/// <summary>
/// The text around an action's source: the source becomes the body of a CommonJS function of
/// <c>(exports, module, require)</c>, and evaluating it only makes that function. <see cref="JsRun"/> then loads the
/// module, picks the handler for the trigger and calls it, all in one call into the interpreter, the way Node's
/// loader and Faable's runner do it: no queued job runs between the module's last line and the handler's first. No
/// global of the host's is added: what the script sees of the runner is what it sees in Node, its arguments. The
/// prefix sits on the source's first line, so line numbers match the file; only columns on line 1 shift, by
/// <see cref="PrefixLength"/>.
/// </summary>
internal static class JsDriver
{
    /// <summary>The source name used in stacks and locations.</summary>
    public const string SourceName = "action.js";

    public const string Prefix = "(function (exports, module, require) {";

    public const string Suffix = "\n})";

    public static int PrefixLength => Prefix.Length;

    public static string Wrap(string code) => Prefix + code + Suffix;

    public static string HandlerName(ActionTrigger trigger) =>
        trigger == ActionTrigger.Continue ? "onContinuePostLogin" : "onExecutePostLogin";
}
