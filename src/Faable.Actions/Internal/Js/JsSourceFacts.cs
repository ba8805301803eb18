namespace Faable.Actions.Internal.Js;

/// <summary>What the runtime learns from an action's source before running it.</summary>
internal sealed record JsSourceFacts(bool NamesIpDatacenter, bool NamesIpActiveBlocks, bool NamesIpNetworkActiveBlocks, bool NeedsPrelude)
{
    public static JsSourceFacts From(string code, bool needsPrelude) => new(
        code.Contains("ip_datacenter", StringComparison.Ordinal),
        code.Contains("ip_active_blocks", StringComparison.Ordinal),
        code.Contains("ip_network_active_blocks", StringComparison.Ordinal),
        needsPrelude);
}
