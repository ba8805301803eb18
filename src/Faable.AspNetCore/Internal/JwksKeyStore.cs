using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// Owns the tenant's signing keys: fetches discovery and JWKS, refreshes on an unknown <c>kid</c> within the
/// request (one fetch at a time, at most once per cool-down), keeps last-known-good keys up to
/// <see cref="FaableAuthOptions.MaxKeyAge"/> and reports <see cref="KeyLookupStatus.Unavailable"/> when none are usable.
/// </summary>
internal sealed class JwksKeyStore : IDisposable
{
    private const int MaxDocumentBytes = 512 * 1024;

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
    private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastUnavailableWarning = DateTimeOffset.MinValue;

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

    public async ValueTask<KeyLookup> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var set = _keys;
        if (IsUsable(set, now))
        {
            if (now - set!.FetchedAt >= _options.JwksRefreshInterval)
            {
                _ = TryRefreshAsync();
            }

            if (set.Keys.TryGetValue(kid, out var key))
            {
                return new KeyLookup(KeyLookupStatus.Found, key, default);
            }
        }

        // Unknown kid or no usable keys: refetch within this request, gated by the cool-down (a kid flood costs one fetch).
        var refreshed = await TryRefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!refreshed)
        {
            Log.RefreshSuppressed(_logger, _options.JwksRefreshCooldown.TotalSeconds);
        }

        now = _time.GetUtcNow();
        set = _keys;
        if (!IsUsable(set, now))
        {
            var retryAfter = RetryAfter(now);

            // One warning per cool-down, not one per request, while the tenant is unreachable.
            if (now - _lastUnavailableWarning >= _options.JwksRefreshCooldown)
            {
                _lastUnavailableWarning = now;
                Log.KeysUnavailable(_logger, _tenant.Issuer, (int)Math.Ceiling(retryAfter.TotalSeconds));
            }

            return new KeyLookup(KeyLookupStatus.Unavailable, null, retryAfter);
        }

        return set!.Keys.TryGetValue(kid, out var found)
            ? new KeyLookup(KeyLookupStatus.Found, found, default)
            : new KeyLookup(KeyLookupStatus.Unknown, null, default);
    }

    /// <summary>
    /// Starts a fetch unless one is running (then joins it) or the last one started less than a cool-down ago
    /// (then returns <see langword="false"/> at once). Never throws.
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
            if (now - _lastAttempt < _options.JwksRefreshCooldown)
            {
                return Task.FromResult(false);
            }

            _lastAttempt = now;
            var task = RefreshCoreAsync();
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

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
        _ownedClient?.Dispose();
    }

    private bool IsUsable(SigningKeySet? set, DateTimeOffset now) =>
        set is not null && set.Keys.Count > 0 && now - set.FetchedAt <= _options.MaxKeyAge;

    private TimeSpan RetryAfter(DateTimeOffset now)
    {
        DateTimeOffset last;
        lock (_gate)
        {
            last = _lastAttempt;
        }

        var remaining = _options.JwksRefreshCooldown - (now - last);
        return remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining;
    }

    private async Task<bool> RefreshCoreAsync()
    {
        await Task.Yield();
        using var activity = Diagnostics.Internal.FaableAuthActivities.Source.StartActivity("faable.auth.jwks_refresh");
        string? failure = null;
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
                return Fail(failure!, null);
            }

            var jwks = await GetDocumentAsync(client, jwksUri, linked.Token).ConfigureAwait(false);
            var skipped = new List<(string? Kid, string Why)>();
            var keys = JwksParser.Parse(jwks, skipped);
            if (keys is null)
            {
                return Fail("jwks_not_json", null);
            }

            foreach (var (kid, why) in skipped)
            {
                Log.KeySkipped(_logger, kid ?? "(none)", why);
            }

            if (keys.Count == 0)
            {
                return Fail("jwks_no_usable_key", null);
            }

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

            _keys = JwksParser.ToSet(keys, _time.GetUtcNow());
            _metrics.KeysRefreshed();
            LastRefreshFailure = null;
            Log.KeysRefreshed(_logger, _tenant.Issuer, keys.Count, skipped.Count);
            return true;
        }
        catch (OperationCanceledException ex)
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
        catch (ObjectDisposedException)
        {
            failure = "disposed";
        }

        return Fail(failure ?? "unknown", exception);
    }

    private bool Fail(string reason, Exception? exception)
    {
        LastRefreshFailure = reason;
        _metrics.KeysRefreshFailed(reason);
        Log.KeysRefreshFailed(_logger, _tenant.Issuer, reason, exception);
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
