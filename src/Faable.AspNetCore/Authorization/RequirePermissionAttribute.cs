using System.Collections.Immutable;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Authorization;

namespace Faable.AspNetCore.Authorization;

/// <summary>
/// Requires every listed permission, read from the <c>permissions</c> claim only.
/// Carries its own requirement, so it holds with or without <c>[Authorize]</c>, next to named policies and under a
/// fallback policy; it also makes the Faable scheme authenticate the request. Stackable: every instance must be met.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequirePermissionAttribute : Attribute, IAuthorizationRequirementData, IAuthorizeData
{
    private readonly FaableScopeRequirement _requirement;

    /// <summary>Initializes a new instance of the <see cref="RequirePermissionAttribute"/> class.</summary>
    /// <param name="permissions">The permissions, all of which the token must grant. At least one; each a scope token without spaces.</param>
    /// <exception cref="ArgumentException">The list is empty or holds an empty value or a value with a space.</exception>
    public RequirePermissionAttribute(params string[] permissions)
    {
        _requirement = FaableScopeRequirement.Create(requireAll: true, ScopeSource.Permissions, permissions, nameof(permissions));
    }

    /// <summary>Gets the required values.</summary>
    public ImmutableArray<string> Permissions => _requirement.Values;

    string? IAuthorizeData.Policy { get => null; set => throw AuthorizeDataDefaults.Immutable(); }

    string? IAuthorizeData.Roles { get => null; set => throw AuthorizeDataDefaults.Immutable(); }

    string? IAuthorizeData.AuthenticationSchemes { get => FaableAuthDefaults.AuthenticationScheme; set => throw AuthorizeDataDefaults.Immutable(); }

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [_requirement];
}
