using System.Collections.Immutable;
using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;

namespace Faable.AspNetCore.Internal;

/// <summary>An immutable scope or permission requirement: all of the values, or any one of them.</summary>
internal sealed class FaableScopeRequirement : IAuthorizationRequirement
{
    private FaableScopeRequirement(bool requireAll, ScopeSource source, ImmutableArray<string> values)
    {
        RequireAll = requireAll;
        Source = source;
        Values = values;
    }

    public bool RequireAll { get; }

    public ScopeSource Source { get; }

    public ImmutableArray<string> Values { get; }

    public static FaableScopeRequirement Create(bool requireAll, ScopeSource source, string[] values, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        if (values.Length == 0)
        {
            throw new ArgumentException("At least one value is required; an empty requirement would grant access to every token.", parameterName);
        }

        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Contains(' ', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{value}' is not a scope token: values must be non-empty and contain no spaces (RFC 6749 §3.3).", parameterName);
            }
        }

        return new FaableScopeRequirement(requireAll, source, [.. values.Distinct(StringComparer.Ordinal)]);
    }

    public bool IsMetBy(IReadOnlySet<string> granted)
    {
        // A loop rather than All/Any with a method group: that would make a delegate per evaluation.
        foreach (var value in Values)
        {
            if (granted.Contains(value) != RequireAll)
            {
                return !RequireAll;
            }
        }

        return RequireAll;
    }

    public override string ToString() =>
        $"{(Source == ScopeSource.Permissions ? "permissions" : "scopes")} {(RequireAll ? "all of" : "any of")} [{string.Join(' ', Values)}]";
}
