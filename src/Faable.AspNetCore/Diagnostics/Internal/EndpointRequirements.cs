using Faable.AspNetCore.Authorization;
using Faable.AspNetCore.Internal;
using Faable.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>
/// The authorization an endpoint's metadata demands, read the way the authorization middleware reads it:
/// any <see cref="IAllowAnonymous"/> switches everything off; Faable requirements, named policies, roles and
/// other requirements are all collected.
/// </summary>
internal sealed class EndpointRequirements
{
    private EndpointRequirements(
        bool allowsAnonymous,
        bool requiresAuthentication,
        IReadOnlyList<FaableScopeRequirement> scopes,
        IReadOnlyList<FaableCallerType> callerTypes,
        IReadOnlyList<string> policies,
        IReadOnlyList<string> roles,
        int otherRequirements,
        string? signature = null)
    {
        Signature = signature;
        AllowsAnonymous = allowsAnonymous;
        RequiresAuthentication = requiresAuthentication;
        Scopes = scopes;
        CallerTypes = callerTypes;
        Policies = policies;
        Roles = roles;
        OtherRequirements = otherRequirements;
    }

    public bool AllowsAnonymous { get; }

    /// <summary>Gets how the endpoint authenticates requests by their signature, when it does (e.g. Faable's webhooks).</summary>
    public string? Signature { get; }

    /// <summary>Gets a value indicating whether a caller without a valid token is refused (401).</summary>
    public bool RequiresAuthentication { get; }

    public IReadOnlyList<FaableScopeRequirement> Scopes { get; }

    public IReadOnlyList<FaableCallerType> CallerTypes { get; }

    public IReadOnlyList<string> Policies { get; }

    public IReadOnlyList<string> Roles { get; }

    public int OtherRequirements { get; }

    /// <summary>Gets a value indicating whether a valid token can still be refused (403).</summary>
    public bool CanForbid => Scopes.Count > 0 || CallerTypes.Count > 0 || Policies.Count > 0 || Roles.Count > 0 || OtherRequirements > 0;

    /// <summary>Gets every scope or permission value named by the requirements, in order of appearance.</summary>
    public IEnumerable<string> ScopeValues => Scopes.SelectMany(s => s.Values).Distinct(StringComparer.Ordinal);

    public static EndpointRequirements From(IEnumerable<object> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var scopes = new List<FaableScopeRequirement>();
        var callers = new List<FaableCallerType>();
        var policies = new List<string>();
        var roles = new List<string>();
        var other = 0;
        var authenticate = false;
        var anonymous = false;
        string? signature = null;
        foreach (var item in metadata)
        {
            if (SignatureAuthenticatedEndpointMetadata.TryDescribe(item, out var description))
            {
                signature = description;
            }

            if (item is IAllowAnonymous)
            {
                anonymous = true;
            }

            if (item is IAuthorizeData data)
            {
                authenticate = true;
                if (!string.IsNullOrEmpty(data.Policy) && !policies.Contains(data.Policy, StringComparer.Ordinal))
                {
                    policies.Add(data.Policy);
                }

                if (!string.IsNullOrEmpty(data.Roles))
                {
                    roles.AddRange(data.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
            }

            if (item is AuthorizationPolicy policy)
            {
                authenticate = true;
                Collect(policy.Requirements, scopes, callers, ref other);
            }

            if (item is IAuthorizationRequirementData requirementData)
            {
                authenticate = true;
                Collect(requirementData.GetRequirements(), scopes, callers, ref other);
            }
        }

        return anonymous
            ? new EndpointRequirements(true, false, [], [], [], [], 0, signature)
            : new EndpointRequirements(false, authenticate, scopes, callers.Distinct().ToList(), policies, roles.Distinct(StringComparer.Ordinal).ToList(), other);
    }

    /// <summary>Describes the requirements in one line, e.g. <c>scopes all of [read:orders]; permissions any of [a b]</c>.</summary>
    public string Describe()
    {
        if (AllowsAnonymous)
        {
            return Signature ?? "anonymous ([AllowAnonymous])";
        }

        if (!RequiresAuthentication)
        {
            return "NONE";
        }

        var parts = new List<string>();
        parts.AddRange(Scopes.Select(s => s.ToString()));
        parts.AddRange(CallerTypes.Select(c => c == FaableCallerType.Machine ? "machine callers only" : "user callers only"));
        parts.AddRange(Policies.Select(p => $"policy '{p}'"));
        if (Roles.Count > 0)
        {
            parts.Add($"roles [{string.Join(' ', Roles)}]");
        }

        if (OtherRequirements > 0)
        {
            parts.Add($"{OtherRequirements} other requirement(s)");
        }

        return parts.Count == 0 ? "authenticated (any valid token)" : string.Join("; ", parts);
    }

    private static void Collect(IEnumerable<IAuthorizationRequirement> requirements, List<FaableScopeRequirement> scopes, List<FaableCallerType> callers, ref int other)
    {
        foreach (var requirement in requirements)
        {
            switch (requirement)
            {
                case FaableScopeRequirement scope:
                    scopes.Add(scope);
                    break;
                case FaableCallerTypeRequirement caller:
                    callers.Add(caller.CallerType);
                    break;
                case DenyAnonymousAuthorizationRequirement:
                    break;
                default:
                    other++;
                    break;
            }
        }
    }
}
