using System.Net;
using Faable.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Testing;

/// <summary>
/// Sends a signed delivery to an application's webhook endpoint and waits until its dispatcher has handed it to the
/// handlers, so an integration test can assert on what the handler did.
/// </summary>
public static class FaableWebhookTestClientExtensions
{
    /// <summary>The longest this helper waits for the dispatcher, unless the token ends the wait earlier.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Posts <paramref name="delivery"/> to <paramref name="endpoint"/> and waits for the application's dispatcher to
    /// end its first attempt at it (see <see cref="IFaableWebhookInbox.WaitForDispatchAsync"/>). The application must
    /// dispatch in this process (the default; not <c>DispatchEnabled = false</c>).
    /// </summary>
    /// <param name="client">A client of the application, e.g. <c>factory.CreateClient()</c>.</param>
    /// <param name="services">The application's services, e.g. <c>factory.Services</c>.</param>
    /// <param name="endpoint">The webhook route, e.g. <c>/hooks/faable</c>.</param>
    /// <param name="delivery">The signed delivery (<see cref="FaableWebhookSigner"/>).</param>
    /// <param name="cancellationToken">Ends the wait; it also ends after <see cref="DefaultTimeout"/>.</param>
    /// <returns>How the attempt ended: <see cref="FaableWebhookDispatchOutcome.Handled"/> once the handlers returned; a failed handler's error otherwise.</returns>
    /// <exception cref="InvalidOperationException">The endpoint did not accept the delivery with 202 (the status and body are in the message).</exception>
    /// <exception cref="TimeoutException">The dispatcher did not finish an attempt within <see cref="DefaultTimeout"/>.</exception>
    public static async Task<FaableWebhookDispatchResult> SendFaableWebhookAndWaitAsync(
        this HttpClient client,
        IServiceProvider services,
        Uri endpoint,
        FaableWebhookSignedDelivery delivery,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(delivery);
        var inbox = services.GetRequiredService<IFaableWebhookInbox>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultTimeout);

        // Wait first, then send: the attempt can end before the answer arrives.
        var dispatched = inbox.WaitForDispatchAsync(delivery.DeliveryId, timeout.Token);
        using (var request = delivery.CreateRequest(endpoint))
        using (var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                await timeout.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(dispatched).ConfigureAwait(false);
                throw new InvalidOperationException($"The webhook endpoint answered {(int)response.StatusCode} instead of 202, so nothing is dispatched: {body}");
            }
        }

        try
        {
            return await dispatched.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Delivery {delivery.DeliveryId} was accepted, but the dispatcher did not finish an attempt within {DefaultTimeout}.");
        }
    }
}
