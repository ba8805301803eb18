using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Internal;

/// <summary>The verifier for the current options, rebuilt when they change (so a rotated secret applies without a restart).</summary>
internal sealed class WebhookVerifierProvider
{
    private readonly IOptionsMonitor<FaableWebhookOptions> _options;
    private readonly TimeProvider _timeProvider;
    private (FaableWebhookOptions Options, FaableWebhookVerifier Verifier)? _current;

    public WebhookVerifierProvider(IOptionsMonitor<FaableWebhookOptions> options, TimeProvider timeProvider)
    {
        _options = options;
        _timeProvider = timeProvider;
    }

    public (FaableWebhookOptions Options, FaableWebhookVerifier Verifier) Current
    {
        get
        {
            var options = _options.CurrentValue;
            var current = _current;
            if (current is { } c && ReferenceEquals(c.Options, options))
            {
                return c;
            }

            var fresh = (options, new FaableWebhookVerifier(options, _timeProvider));
            _current = fresh;
            return fresh;
        }
    }
}
