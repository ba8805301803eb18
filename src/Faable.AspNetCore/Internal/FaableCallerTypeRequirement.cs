using Faable.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;

namespace Faable.AspNetCore.Internal;

/// <summary>Requires a user token or a machine (client credentials) token.</summary>
internal sealed class FaableCallerTypeRequirement(FaableCallerType callerType) : IAuthorizationRequirement
{
    public FaableCallerType CallerType { get; } = callerType;

    public override string ToString() => $"caller type {CallerType}";
}
