namespace Faable.Actions.Internal.Js;

/// <summary>
/// The text around an action's source. The source becomes the body of a CommonJS function of
/// <c>(exports, module, require)</c>; the driver then picks the handler for the trigger and calls it, all in ONE
/// evaluation, so every await the handler makes without the host's help is drained inside the same interpreter entry
/// and under the same budget; the evaluation's value is the handler's promise. The prefix sits on the source's first line, so line numbers match
/// the file; only columns on line 1 shift, by <see cref="PrefixLength"/>.
/// </summary>
internal static class JsDriver
{
    /// <summary>
    /// The global through which the host hands its object to the driver. The driver reads it before the action's code
    /// runs; what it holds (the event, the api, require) is what the handler receives anyway, so a script that reads
    /// or replaces it gains nothing.
    /// </summary>
    public const string HostGlobal = "$faable$host";

    /// <summary>The source name used in stacks and locations.</summary>
    public const string SourceName = "action.js";

    // The module function is called with module.exports as `this`, as Node's CommonJS loader does. The handler's
    // result goes through the Promise.resolve of the realm as it was before the action ran, so a returned thenable
    // (an object with `then`, not a Promise) is awaited as Node's `await` awaits it.
    public const string Prefix =
        "(function($faable$h){const $faable$r=Promise.resolve.bind(Promise);const $faable$m={exports:{}};(function(exports,module,require){";

    public const string Suffix =
        "\n}).call($faable$m.exports,$faable$m.exports,$faable$m,$faable$h.require);" +
        "return $faable$r($faable$h.pick($faable$m.exports)($faable$h.event,$faable$h.api));" +
        "})($faable$host)";

    public static int PrefixLength => Prefix.Length;

    public static string Wrap(string code) => Prefix + code + Suffix;

    public static string HandlerName(ActionTrigger trigger) =>
        trigger == ActionTrigger.Continue ? "onContinuePostLogin" : "onExecutePostLogin";
}
