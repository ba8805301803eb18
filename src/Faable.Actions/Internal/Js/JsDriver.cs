namespace Faable.Actions.Internal.Js;

/// <summary>
/// The text around an action's source. The source becomes the body of a CommonJS function of
/// <c>(exports, module, require)</c>; the driver then picks the handler for the trigger, calls it and chains the
/// host's settle callbacks, all in ONE evaluation, so every await the handler makes is drained inside the same
/// interpreter entry and under the same budget. The prefix sits on the source's first line, so line numbers match
/// the file; only columns on line 1 shift, by <see cref="PrefixLength"/>.
/// </summary>
internal static class JsDriver
{
    /// <summary>The global through which the host hands its object to the driver; the driver deletes it first.</summary>
    public const string HostGlobal = "$faable$host";

    /// <summary>The source name used in stacks and locations.</summary>
    public const string SourceName = "action.js";

    public const string Prefix =
        "(function($faable$h,$faable$P){delete globalThis.$faable$host;const $faable$m={exports:{}};(function(exports,module,require){";

    public const string Suffix =
        "\n}).call($faable$m.exports,$faable$m.exports,$faable$m,$faable$h.require);" +
        "const $faable$f=$faable$h.pick($faable$m.exports);" +
        "return $faable$P.resolve($faable$f($faable$h.event,$faable$h.api)).then($faable$h.ok,$faable$h.fail);" +
        "})($faable$host,Promise)";

    public static int PrefixLength => Prefix.Length;

    public static string Wrap(string code) => Prefix + code + Suffix;

    public static string HandlerName(ActionTrigger trigger) =>
        trigger == ActionTrigger.Continue ? "onContinuePostLogin" : "onExecutePostLogin";
}
