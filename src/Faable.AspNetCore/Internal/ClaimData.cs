namespace Faable.AspNetCore.Internal;

/// <summary>One claim as sent by the tenant: never renamed (no inbound claim mapping).</summary>
internal readonly record struct ClaimData(string Type, string Value, string ValueType);
