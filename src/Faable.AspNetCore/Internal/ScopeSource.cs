namespace Faable.AspNetCore.Internal;

/// <summary>Which claims grant the values a requirement asks for.</summary>
internal enum ScopeSource
{
    /// <summary><c>scope</c> and <c>permissions</c> merged (Faable's rule), or <c>permissions</c> alone when <see cref="FaableAuthOptions.TrustPermissionsOnly"/> is set.</summary>
    Scopes = 0,

    /// <summary>The <c>permissions</c> claim only.</summary>
    Permissions = 1,
}
