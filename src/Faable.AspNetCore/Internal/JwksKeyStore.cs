using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Owns the tenant's signing keys: fetches discovery and JWKS, refreshes on an unknown <c>kid</c> within the request
/// (one fetch at a time), keeps last-known-good keys up to <see cref="FaableAuthOptions.MaxKeyAge"/>, and tells a
/// key the tenant does not publish (<see cref="KeyLookupStatus.Unknown"/>, a 401) from a key it cannot decide
/// (<see cref="KeyLookupStatus.Unavailable"/>, a 503).
/// </summary>
/// <remarks>
/// Fetches are single-flight. With usable keys, a fetch starts at most once per
/// <see cref="FaableAuthOptions.JwksRefreshCooldown"/> (a flood of unknown <c>kid</c>s costs one fetch per cool-down).
/// Without usable keys every token is answered 503 anyway, so a fetch may start <see cref="KeylessRetryInterval"/>
/// after the previous one ended: the API recovers about a second after the tenant returns.
/// </remarks>
internal sealed class JwksKeyStore : IDisposable
{
    /// <summary>The pause between the end of a failed fetch and the next one while no usable keys are held.</summary>
    public static readonly TimeSpan KeylessRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The largest discovery or key document read (a tenant's JWKS holds a few keys of about 1.5 KB each). Reading
    /// stops there, whether or not the tenant announced a length: a larger document is a failed fetch, <c>document_too_large</c>.
    /// </summary>
    public const int MaxDocumentBytes = 512 * 1024;

    // iat is whole seconds: a token issued at 12:00:00.900 says 12:00:00. A fetch decides a token only if it
    // started after the end of the token's iat second.
    private static readonly TimeSpan IssuedAtGranularity = TimeSpan.FromSeconds(1);

    private readonly FaableAuthOptions _options;
    private readonly FaableTenant _tenant;
    private readonly TimeProvider _time;
    private readonly FaableAuthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Func<HttpClient> _clientFactory;
    private readonly HttpClient? _ownedClient;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();

    private volatile SigningKeySet? _keys;
    private Task<bool>? _inflight;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUnavailableWarning = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUndecidedNotice = DateTimeOffset.MinValue;

    // Written only by the fetch in flight (single-flight), read by the health check.
    private string? _lastFailureLogged;
    private DateTimeOffset _lastFailureLoggedAt = DateTimeOffset.MinValue;
    private DateTimeOffset? _failingSince;
    private int _failuresSinceSuccess;

    public JwksKeyStore(
        IOptions<FaableAuthOptions> options,
        TimeProvider time,
        FaableAuthMetrics metrics,
        ILogger<JwksKeyStore> logger,
        IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = options.Value;
        if (!FaableTenant.TryParse(_options.Domain, out var tenant, out var error))
        {
            throw new OptionsValidationException(nameof(FaableAuthOptions), typeof(FaableAuthOptions), [error!]);
        }

        _tenant = tenant!;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        if (_options.BackchannelHttpHandler is { } handler)
        {
            _ownedClient = new HttpClient(handler, disposeHandler: false);
            _clientFactory = () => _ownedClient;
        }
        else
        {
            _clientFactory = () => httpClientFactory.CreateClient(FaableAuthDefaults.BackchannelHttpClientName);
        }
    }

    public FaableTenant Tenant => _tenant;

    /// <summary>Gets the current snapshot, or <see langword="null"/> before the first successful fetch.</summary>
    public SigningKeySet? Current => _keys;

    /// <summary>
    /// Gets the authorization and token endpoints the last readable discovery document announced, or
    /// <see langword="null"/> before one was read (read by the OpenAPI security scheme).
    /// </summary>
    public TenantEndpoints? Endpoints { get; private set; }

    /// <summary>Gets the reason the last fetch failed, or <see langword="null"/> when the last fetch succeeded (read by the health check).</summary>
    public string? LastRefreshFailure { get; private set; }

    /// <summary>Finds the key of a token whose time of issue is unknown (taken as the time of the call).</summary>
    public ValueTask<KeyLookup> FindAsync(string kid, CancellationToken cancellationToken) => FindAsync(kid, null, cancellationToken);

    /// <summary>
    /// Finds the key named <paramref name="kid"/>. A <c>kid</c> missing from the key set is
    /// <see cref="KeyLookupStatus.Unknown"/> only when that set was fetched after <paramref name="token"/> was issued
    /// (its <c>iat</c>, or now); otherwise nobody knows whether the tenant publishes it, and the answer is
    /// <see cref="KeyLookupStatus.Unavailable"/> with the time until the next fetch may start.
    /// </summary>
    public async ValueTask<KeyLookup> FindAsync(string kid, CompactJws? token, CancellationToken cancellationToken)
    {
        var arrived = _time.GetUtcNow();
        var set = _keys;
        if (IsUsable(set, arrived))
        {
            if (arrived - set!.FetchedAt >= _options.JwksRefreshInterval)
            {
                _ = TryRefreshAsync();
            }

            if (set.Keys.TryGetValue(kid, out var key))
            {
                return new KeyLookup(KeyLookupStatus.Found, key, default);
            }
        }

        // Unknown kid or no usable keys: refetch within this request, gated (a kid flood costs one fetch per cool-down).
        var issuedBy = IssuedNoLaterThan(token, arrived);
        var refreshed = await TryRefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!refreshed)
        {
            Log.RefreshSuppressed(_logger, _options.JwksRefreshCooldown.TotalSeconds);
        }

        var now = _time.GetUtcNow();
        set = _keys;
        if (!IsUsable(set, now))
        {
            var retryAfter = RetryAfter(now);

            // One warning per cool-down, not one per request, while the tenant is unreachable.
            if (now - _lastUnavailableWarning >= _options.JwksRefreshCooldown)
            {
                _lastUnavailableWarning = now;
                Log.KeysUnavailable(_logger, _tenant.Issuer, LastRefreshFailure ?? "no fetch has finished yet", Seconds(retryAfter));
            }

            return new KeyLookup(KeyLookupStatus.Unavailable, null, retryAfter);
        }

        if (set!.Keys.TryGetValue(kid, out var found))
        {
            return new KeyLookup(KeyLookupStatus.Found, found, default);
        }

        // The tenant said no: a set fetched after the token was issued does not publish its key.
        if (set.FetchedAt >= issuedBy)
        {
            return new KeyLookup(KeyLookupStatus.Unknown, null, default);
        }

        // We could not ask: the token may be signed by a key published after our last fetch, and the refetch was
        // held back by the cool-down or failed.
        var wait = RetryAfter(now);
        if (now - _lastUndecidedNotice >= _options.JwksRefreshCooldown)
        {
            _lastUndecidedNotice = now;
            Log.KeyUndecided(_logger, Seconds(now - set.FetchedAt), LastRefreshFailure ?? "the refetch is held back by the cool-down", Seconds(wait));
        }

        return new KeyLookup(KeyLookupStatus.Unavailable, null, wait);
    }

    /// <summary>
    /// Starts a fetch unless one is running (then joins it) or the next fetch is not due yet (then returns
    /// <see langword="false"/> at once). Never throws; the task never faults.
    /// </summary>
    public Task<bool> TryRefreshAsync()
    {
        lock (_gate)
        {
            if (_inflight is { } running)
            {
                return running;
            }

            var now = _time.GetUtcNow();
            if (now < _nextAttempt)
            {
                return Task.FromResult(false);
            }

            // Provisional: replaced when the fetch ends (earlier while keyless).
            _nextAttempt = now + _options.JwksRefreshCooldown;
            var task = RefreshCoreAsync(now);
            _inflight = task;
            _ = task.ContinueWith(
                static (_, state) =>
                {
                    var store = (JwksKeyStore)state!;
                    lock (store._gate)
                    {
                        store._inflight = null;
                    }
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return task;
        }
    }

    /// <summary>
    /// The latest moment the token can have been issued: the end of its <c>iat</c> second when that is earlier than
    /// <paramref name="arrived"/>, else <paramref name="arrived"/> (the token existed when it arrived). The
    /// <c>iat</c> is read before the signature is checked, so a forged one can only move this earlier than the
    /// arrival, which turns a 401 into a 503 and costs the tenant no fetch.
    /// </summary>
    internal static DateTimeOffset IssuedNoLaterThan(CompactJws? token, DateTimeOffset arrived)
    {
        if (token is null)
        {
            return arrived;
        }

        var payload = Base64UrlStrict.Decode(token.PayloadSegment);
        if (payload is null)
        {
            return arrived;
        }

        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("iat", out var iat) ||
                iat.ValueKind != JsonValueKind.Number ||
                !iat.TryGetDouble(out var seconds) ||
                !double.IsFinite(seconds) ||
                seconds >= arrived.ToUnixTimeSeconds())
            {
                return arrived;
            }

            var issued = DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(Math.Max(seconds, 0))) + IssuedAtGranularity;
            return issued < arrived ? issued : arrived;
        }
        catch (JsonException)
        {
            return arrived;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _ownedClient?.Dispose();
    }

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(Math.Max(0, span.TotalSeconds));

    private bool IsUsable(SigningKeySet? set, DateTimeOffset now) =>
        set is not null && set.Keys.Count > 0 && now - set.FetchedAt <= _options.MaxKeyAge;

    private TimeSpan RetryAfter(DateTimeOffset now)
    {
        DateTimeOffset next;
        bool running;
        lock (_gate)
        {
            next = _nextAttempt;
            running = _inflight is not null;
        }

        var remaining = running ? TimeSpan.Zero : next - now;
        return remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining;
    }

    private async Task<bool> RefreshCoreAsync(DateTimeOffset startedAt)
    {
        await Task.Yield();
        using var activity = Diagnostics.Internal.FaableAuthActivities.Source.StartActivity("faable.auth.jwks_refresh");
        string? failure;
        Exception? exception = null;
        try
        {
            using var timeout = new CancellationTokenSource(_options.JwksFetchTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token);
            var client = _clientFactory();

            var discovery = await GetDocumentAsync(client, _tenant.DiscoveryAddress, linked.Token).ConfigureAwait(false);
            var jwksUri = ReadDiscovery(discovery, out failure);
            if (jwksUri is null)
            {
                return Fail(failure!, null, startedAt);
            }

            var jwks = await GetDocumentAsync(client, jwksUri, linked.Token).ConfigureAwait(false);
            var skipped = new List<(string? Kid, string Why)>();
            var keys = JwksParser.Parse(jwks, skipped);
            if (keys is null)
            {
                return Fail("jwks_not_json", null, startedAt);
            }

            foreach (var (kid, why) in skipped)
            {
                Log.KeySkipped(_logger, kid ?? "(none)", why);
            }

            if (keys.Count == 0)
            {
                return Fail("jwks_no_usable_key", null, startedAt);
            }

            Succeed(keys, skipped.Count, startedAt);
            return true;
        }
        catch (OperationCanceledException ex) when (!_disposed.IsCancellationRequested)
        {
            failure = "timeout";
            exception = ex;
        }
        catch (HttpRequestException ex)
        {
            failure = "unreachable";
            exception = ex;
        }
        catch (InvalidDataException ex)
        {
            failure = ex.Message;
        }
        catch (IOException ex)
        {
            // HttpIOException: the connection broke while the body was being read (a tenant restarting, a proxy cut).
            failure = "body_incomplete";
            exception = ex;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _disposed.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // A fetch that fails in any way is a fetch failure (503), never a faulted task or a 401.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            failure = "unexpected";
            exception = ex;
        }

        return Fail(failure, exception, startedAt);
    }

    private void Succeed(Dictionary<string, SigningKey> keys, int skipped, DateTimeOffset startedAt)
    {
        // An unchanged key keeps its instance, so validated tokens cached under it stay valid across refreshes.
        if (_keys is { } previous)
        {
            foreach (var (kid, key) in keys.ToList())
            {
                if (previous.Keys.TryGetValue(kid, out var known) && known.SameAs(key))
                {
                    keys[kid] = known;
                    key.Rsa.Dispose();
                }
            }
        }

        // The set is stamped with the time its fetch started: it reflects the tenant no earlier than that.
        _keys = JwksParser.ToSet(keys, startedAt);
        _metrics.KeysRefreshed();
        LastRefreshFailure = null;
        Log.KeysRefreshed(_logger, _tenant.Issuer, keys.Count, skipped);
        if (_failingSince is { } since)
        {
            Log.KeysRecovered(_logger, _tenant.Issuer, _failuresSinceSuccess, Seconds(_time.GetUtcNow() - since));
        }

        _failingSince = null;
        _failuresSinceSuccess = 0;
        _lastFailureLogged = null;
        lock (_gate)
        {
            _nextAttempt = startedAt + _options.JwksRefreshCooldown;
        }
    }

    private bool Fail(string reason, Exception? exception, DateTimeOffset startedAt)
    {
        var now = _time.GetUtcNow();
        _failingSince ??= startedAt;
        _failuresSinceSuccess++;
        _metrics.KeysRefreshFailed(reason);

        var set = _keys;
        var keyless = !IsUsable(set, now);
        var next = keyless ? now + KeylessRetryInterval : startedAt + _options.JwksRefreshCooldown;
        lock (_gate)
        {
            _nextAttempt = next;
        }

        // One warning per cool-down while the failure stays the same (a keyless API retries every second).
        if (reason != _lastFailureLogged || now - _lastFailureLoggedAt >= _options.JwksRefreshCooldown)
        {
            _lastFailureLogged = reason;
            _lastFailureLoggedAt = now;
            if (keyless)
            {
                Log.KeysRefreshFailedWithoutKeys(_logger, _tenant.Issuer, reason, _failuresSinceSuccess, set is null ? "no keys were ever loaded" : "the keys held are older than Faable:MaxKeyAge", exception);
            }
            else
            {
                Log.KeysRefreshFailed(_logger, _tenant.Issuer, reason, _failuresSinceSuccess, set!.Keys.Count, Seconds(now - set.FetchedAt), exception);
            }
        }

        // Published last: whoever sees the failure also sees it counted and logged.
        LastRefreshFailure = reason;
        return false;
    }

    private Uri? ReadDiscovery(byte[] document, out string? failure)
    {
        try
        {
            using var json = JsonDocument.Parse(document);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = "discovery_not_json";
                return null;
            }

            if (!root.TryGetProperty("issuer", out var issuer) || issuer.ValueKind != JsonValueKind.String ||
                !string.Equals(issuer.GetString(), _tenant.Issuer, StringComparison.Ordinal))
            {
                failure = "discovery_issuer_mismatch";
                return null;
            }

            if (!root.TryGetProperty("jwks_uri", out var jwks) || jwks.ValueKind != JsonValueKind.String ||
                !Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var jwksUri) || !IsAllowedScheme(jwksUri))
            {
                failure = "discovery_bad_jwks_uri";
                return null;
            }

            Endpoints = new TenantEndpoints(Endpoint(root, "authorization_endpoint"), Endpoint(root, "token_endpoint"));
            failure = null;
            return jwksUri;
        }
        catch (JsonException)
        {
            failure = "discovery_not_json";
            return null;
        }
    }

    // An endpoint the document leaves out, or gives as anything but an absolute http(s) URL, stays unknown: callers fall
    // back to the tenant's conventional paths rather than trusting a malformed value.
    private Uri? Endpoint(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
        Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && IsAllowedScheme(uri)
            ? uri
            : null;

    // https always; http only for an http tenant (local development) or with RequireHttpsMetadata off.
    private bool IsAllowedScheme(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (_tenant.IsHttp || !_options.RequireHttpsMetadata));

    private static async Task<byte[]> GetDocumentAsync(HttpClient client, Uri address, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidDataException($"http_{(int)response.StatusCode}");
        }

        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new InvalidDataException("document_too_large");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxDocumentBytes)
                {
                    throw new InvalidDataException("document_too_large");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
