using Faable.Shared;
using Faable.Webhooks;
using Faable.Webhooks.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint that receives Faable webhook deliveries.</summary>
public static class FaableWebhooksEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> to the Faable webhook receiver: it reads the raw body (up to
    /// <see cref="FaableWebhookOptions.MaxBodyBytes"/>, 413 beyond), verifies it (401 or 400 with an
    /// <c>application/problem+json</c> body naming the reason), persists it in the inbox and answers 202
    /// (200 for a duplicate). Requires <c>AddFaableWebhooks</c>.
    /// The endpoint authenticates each delivery by its signature, so it is anonymous to ASP.NET Core's authorization
    /// (an application's fallback policy does not turn Faable's deliveries away with 401).
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, for example <c>/hooks/faable</c>.</param>
    /// <returns>The endpoint's convention builder, to attach rate limiting, host filters and the like.</returns>
    public static IEndpointConventionBuilder MapFaableWebhooks(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (endpoints.ServiceProvider.GetService(typeof(WebhookVerifierProvider)) is not WebhookVerifierProvider verifiers)
        {
            throw new InvalidOperationException("MapFaableWebhooks needs services.AddFaableWebhooks(…) first.");
        }

        // Build the verifier once the validated options are known, so that a later reload with invalid options
        // can fall back to it.
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStarted.Register(() => _ = verifiers.Current);

        return endpoints.MapPost(pattern, WebhookEndpoint.HandleAsync)
            .WithDisplayName("Faable webhooks")
            .WithMetadata(new SignatureAuthenticatedEndpointMetadata(FaableWebhookDefaults.SignatureHeader))
            .DisableAntiforgery();
    }
}
