namespace Faable.AspNetCore.Internal;

/// <summary>The endpoints a tenant's discovery document announced; either may be unknown.</summary>
/// <param name="Authorization">The <c>authorization_endpoint</c>.</param>
/// <param name="Token">The <c>token_endpoint</c>.</param>
internal sealed record TenantEndpoints(Uri? Authorization, Uri? Token);
