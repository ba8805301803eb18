using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Authorization;

namespace Faable.AspNetCore.Authorization;

/// <summary>
/// Requires a user token or a machine-to-machine token (where <c>sub</c> equals <c>client_id</c>); a token of the
/// other kind gets 403. Also makes the Faable scheme authenticate the request.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequireCallerTypeAttribute : Attribute, IAuthorizationRequirementData, IAuthorizeData
{
    private readonly FaableCallerTypeRequirement _requirement;

    /// <summary>Initializes a new instance of the <see cref="RequireCallerTypeAttribute"/> class.</summary>
    /// <param name="callerType">The kind of caller allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="callerType"/> is not a defined value.</exception>
    public RequireCallerTypeAttribute(FaableCallerType callerType)
    {
        if (!Enum.IsDefined(callerType))
        {
            throw new ArgumentOutOfRangeException(nameof(callerType), callerType, "Use FaableCallerType.User or FaableCallerType.Machine.");
        }

        _requirement = new FaableCallerTypeRequirement(callerType);
    }

    /// <summary>Gets the kind of caller allowed.</summary>
    public FaableCallerType CallerType => _requirement.CallerType;

    string? IAuthorizeData.Policy { get => null; set => throw AuthorizeDataDefaults.Immutable(); }

    string? IAuthorizeData.Roles { get => null; set => throw AuthorizeDataDefaults.Immutable(); }

    string? IAuthorizeData.AuthenticationSchemes { get => FaableAuthDefaults.AuthenticationScheme; set => throw AuthorizeDataDefaults.Immutable(); }

    /// <inheritdoc />
    public IEnumerable<IAuthorizationRequirement> GetRequirements() => [_requirement];
}
