using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Validates a Faable access token: <see cref="TokenChecklist"/> (the rules, in order) behind the validated-token cache,
/// with metrics and logs.
/// </summary>
internal sealed class FaableTokenValidator
{
    private readonly JwksKeyStore _keys;
    private readonly ValidatedTokenCache _cache;
    private readonly TimeProvider _time;
    private readonly FaableAuthMetrics _metrics;
    private readonly ILogger _logger;

    public FaableTokenValidator(
        IOptions<FaableAuthOptions> options,
        JwksKeyStore keys,
        ValidatedTokenCache cache,
        TimeProvider time,
        FaableAuthMetrics metrics,
        ILogger<FaableTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _cache = cache;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        Checklist = new TokenChecklist(keys.Tenant, options.Value, time);
    }

    public TokenChecklist Checklist { get; }

    public ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ValidateAsync(token.AsMemory(), cancellationToken);
    }

    /// <summary>
    /// Answers a token the cache remembers, synchronously, when no listener records validation spans (with one, every
    /// validation is a span: use <see cref="ValidateAsync(ReadOnlyMemory{char}, CancellationToken)"/>). Returns
    /// <see langword="false"/>, having recorded nothing, for any other token.
    /// </summary>
    public bool TryValidateRemembered(ReadOnlySpan<char> token, out TokenCheck check)
    {
        if (Diagnostics.Internal.FaableAuthActivities.Source.HasListeners())
        {
            check = default;
            return false;
        }

        return TryRemembered(token, out check);
    }

    /// <summary>
    /// Validates the token held by <paramref name="token"/>, usually a slice of the request's header: a repeated token
    /// is found in the cache without being copied; a string is made only for a token that has to be validated.
    /// </summary>
    public async ValueTask<TokenCheck> ValidateAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        using var activity = Diagnostics.Internal.FaableAuthActivities.Source.StartActivity("faable.auth.validate_token");
        if (Checklist.IsTooLong(token.Span))
        {
            return Rejected(TokenCheck.Reject(AuthErrors.TokenTooLarge));
        }

        if (TryRemembered(token.Span, out var remembered))
        {
            return remembered;
        }

        if (_cache.Enabled)
        {
            _metrics.CacheLookup(hit: false);
        }

        var text = token.ToString();
        var check = await ValidateUncachedAsync(text, cancellationToken).ConfigureAwait(false);
        if (!check.IsValid)
        {
            return Rejected(check);
        }

        _metrics.TokenValidated();
        if (_cache.Enabled)
        {
            _cache.Add(text, check.Token!, _time.GetUtcNow());
        }

        return check;
    }

    // A repeated token costs a hash and a lookup: only tokens that passed every check of the checklist are stored (so
    // never one that is too long), and an entry is used only while unexpired and while its signing key is still
    // published. A miss records nothing here.
    private bool TryRemembered(ReadOnlySpan<char> token, out TokenCheck check)
    {
        if (_cache.Enabled && _cache.TryGet(token, _time.GetUtcNow(), _keys.Current, out var cached))
        {
            _metrics.CacheLookup(hit: true);
            _metrics.TokenValidated();
            check = TokenCheck.Valid(cached!);
            return true;
        }

        check = default;
        return false;
    }

    /// <summary>The checklist alone (<see cref="TokenChecklist"/>), stopping at the first failure: no cache, no telemetry.</summary>
    internal ValueTask<TokenCheck> ValidateUncachedAsync(string token, CancellationToken cancellationToken) =>
        Checklist.RunAsync(token, FindKeyAsync, report: null, cancellationToken);

    /// <summary>The checklist, recording every step into <paramref name="report"/> and continuing past failures.</summary>
    internal ValueTask<TokenCheck> ExamineAsync(string token, TokenReport report, CancellationToken cancellationToken) =>
        Checklist.RunAsync(token, FindKeyAsync, report, cancellationToken);

    // An unknown kid is a 401 only when a key set fetched after the token was issued lacks it (else 503, keys_unavailable).
    private ValueTask<KeyLookup> FindKeyAsync(CompactJws jws, CancellationToken cancellationToken) =>
        _keys.FindAsync(jws.Kid!, jws, cancellationToken);

    private TokenCheck Rejected(TokenCheck check)
    {
        _metrics.TokenRejected(check.Error!.Reason);
        Log.TokenRejected(_logger, check.Error.Reason);
        return check;
    }
}
