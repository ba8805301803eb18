using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// ASP.NET Core's policy evaluator, with one difference for a policy that names the Faable scheme alone (the policy of
/// every <c>RequireScope</c>, <c>RequirePermission</c> and <c>RequireCallerType</c> endpoint): when the authentication
/// middleware has already authenticated the request through that scheme and the request's user is still that result's
/// principal, the result is used as it is, the way the framework uses it for a policy that names no scheme.
/// </summary>
/// <remarks>
/// The framework's evaluator would authenticate the scheme a second time: the handler answers with its remembered
/// result, and the framework then runs claims transformation again, merges the principal into a new one and makes a
/// new ticket, for the same user. Here that user is kept, transformed once. In every other case (another default
/// scheme, a failed or absent authentication, a user replaced after authentication, a policy naming other schemes) the
/// framework's own evaluation runs. <c>AddFaableAuth</c> puts this class in place of ASP.NET Core's
/// <see cref="PolicyEvaluator"/> only: an application's own <see cref="IPolicyEvaluator"/> is never replaced.
/// </remarks>
internal sealed class FaablePolicyEvaluator(IAuthorizationService authorization) : PolicyEvaluator(authorization)
{
    public override Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        if (policy.AuthenticationSchemes is [FaableAuthDefaults.AuthenticationScheme]
            && context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { Succeeded: true } result
            && string.Equals(result.Ticket.AuthenticationScheme, FaableAuthDefaults.AuthenticationScheme, StringComparison.Ordinal)
            && ReferenceEquals(result.Principal, context.User))
        {
            return Task.FromResult(result);
        }

        return base.AuthenticateAsync(policy, context);
    }

    /// <summary>Puts this evaluator in place of ASP.NET Core's own, if that is the one registered; any other is left alone.</summary>
    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IPolicyEvaluator) && !d.IsKeyedService);
        if (registered is { ImplementationType: var type } && type == typeof(PolicyEvaluator))
        {
            services[services.IndexOf(registered)] = Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Describe(
                typeof(IPolicyEvaluator), typeof(FaablePolicyEvaluator), registered.Lifetime);
        }
    }
}
