using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.Webhooks.Internal;

/// <summary>
/// The verifier for the current options, rebuilt when they change (so a rotated secret applies without a restart).
/// A reload that makes the options invalid keeps the last valid verifier instead of failing every delivery.
/// </summary>
internal sealed class WebhookVerifierProvider
{
    private readonly IOptionsMonitor<FaableWebhookOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookVerifierProvider> _logger;
    private (FaableWebhookOptions Options, FaableWebhookVerifier Verifier)? _current;
    private string? _rejected;

    public WebhookVerifierProvider(IOptionsMonitor<FaableWebhookOptions> options, TimeProvider timeProvider, ILogger<WebhookVerifierProvider> logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public (FaableWebhookOptions Options, FaableWebhookVerifier Verifier) Current
    {
        get
        {
            var current = _current;
            FaableWebhookOptions options;
            try
            {
                options = _options.CurrentValue;
                if (current is { } c && ReferenceEquals(c.Options, options))
                {
                    return c;
                }

                var fresh = (options, new FaableWebhookVerifier(options, _timeProvider));
                _current = fresh;
                return fresh;
            }
            catch (Exception ex) when (ex is OptionsValidationException or ArgumentException && current is not null)
            {
                if (!string.Equals(Interlocked.Exchange(ref _rejected, ex.Message), ex.Message, StringComparison.Ordinal))
                {
                    Log.InvalidReload(_logger, ex.Message);
                }

                return current.Value;
            }
        }
    }
}
