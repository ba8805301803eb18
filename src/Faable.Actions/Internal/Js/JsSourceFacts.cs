namespace Faable.Actions.Internal.Js;

/// <summary>What the runtime learns from an action's source before running it: which host globals to build.</summary>
internal sealed record JsSourceFacts(bool NamesIpDatacenter, bool NamesIpActiveBlocks, bool NamesIpNetworkActiveBlocks, bool NeedsPrelude)
{
    /// <summary>The action names <c>console</c> (or reaches globals dynamically).</summary>
    public bool NeedsConsole { get; init; } = true;

    /// <summary>The action names <c>setTimeout</c> or <c>clearTimeout</c> (or reaches globals dynamically).</summary>
    public bool NeedsTimers { get; init; } = true;

    /// <summary>The action names <c>fetch</c> (or reaches globals dynamically).</summary>
    public bool NeedsFetch { get; init; } = true;

    /// <summary>The action names <c>queueMicrotask</c> (or reaches globals dynamically).</summary>
    public bool NeedsQueueMicrotask { get; init; } = true;

    public static JsSourceFacts From(string code, IReadOnlyCollection<string> referencedGlobals)
    {
        bool Names(params string[] names) => referencedGlobals.Contains("globalThis") || names.Any(referencedGlobals.Contains);
        return new JsSourceFacts(
            code.Contains("ip_datacenter", StringComparison.Ordinal),
            code.Contains("ip_active_blocks", StringComparison.Ordinal),
            code.Contains("ip_network_active_blocks", StringComparison.Ordinal),
            Names("URL", "URLSearchParams", "TextEncoder", "TextDecoder", "atob", "btoa", "crypto", "structuredClone", "DOMException"))
        {
            NeedsConsole = Names("console"),
            NeedsTimers = Names("setTimeout", "clearTimeout"),
            NeedsFetch = Names("fetch"),
            NeedsQueueMicrotask = Names("queueMicrotask"),
        };
    }
}
