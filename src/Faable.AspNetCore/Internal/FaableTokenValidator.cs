using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>Validates a Faable access token. <see cref="ValidateUncachedAsync"/> is the checklist, in order.</summary>
internal sealed class FaableTokenValidator
{
    public const string RequiredAlgorithm = "RS256";

    private readonly FaableAuthOptions _options;
    private readonly JwksKeyStore _keys;
    private readonly ValidatedTokenCache _cache;
    private readonly TimeProvider _time;
    private readonly FaableAuthMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _issuer;
    private readonly string _userInfoAudience;
    private readonly string[] _audiences;
    private readonly double _skewSeconds;

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
        _options = options.Value;
        _keys = keys;
        _cache = cache;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _issuer = keys.Tenant.Issuer;
        _userInfoAudience = keys.Tenant.UserInfoAudience;
        _audiences = [.. FaableAuthOptionsValidator.AudienceList(_options)];
        _skewSeconds = _options.ClockSkew.TotalSeconds;
    }

    public async ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var activity = Diagnostics.Internal.FaableAuthActivities.Source.StartActivity("faable.auth.validate_token");
        if (token.Length > _options.MaxTokenLength)
        {
            return Rejected(TokenCheck.Reject(AuthErrors.TokenTooLarge));
        }

        // A repeated token costs a hash and a lookup: only tokens that passed every check below are stored,
        // and an entry is used only while unexpired and while its signing key is still published.
        if (_cache.Enabled)
        {
            var hit = _cache.TryGet(token, _time.GetUtcNow(), _keys.Current, out var cached);
            _metrics.CacheLookup(hit);
            if (hit)
            {
                _metrics.TokenValidated();
                return TokenCheck.Valid(cached!);
            }
        }

        var check = await ValidateUncachedAsync(token, cancellationToken).ConfigureAwait(false);
        if (!check.IsValid)
        {
            return Rejected(check);
        }

        _metrics.TokenValidated();
        if (_cache.Enabled)
        {
            _cache.Add(token, check.Token!, _time.GetUtcNow());
        }

        return check;
    }

    /// <summary>The validation checklist of an access token (RFC 7515, RFC 7519, RFC 8725, Faable's rules).</summary>
    internal async ValueTask<TokenCheck> ValidateUncachedAsync(string token, CancellationToken cancellationToken)
    {
        // 1. Compact JWS: exactly three base64url segments; five segments is an encrypted token (JWE).
        var jws = CompactJws.TryParse(token, out var structureError);
        if (jws is null)
        {
            return TokenCheck.Reject(structureError!);
        }

        // 2-4. The header: RS256 only, no crit, a kid.
        var headerError = CheckHeader(jws);
        if (headerError is not null)
        {
            return TokenCheck.Reject(headerError);
        }

        // 5. The key comes from the tenant's JWKS only (jwk, jku, x5u headers are ignored); an unknown kid refreshes once per
        // cool-down, and is a 401 only when a set fetched after the token was issued lacks it (else 503, keys_unavailable).
        var lookup = await _keys.FindAsync(jws.Kid!, jws, cancellationToken).ConfigureAwait(false);
        if (lookup.Status == KeyLookupStatus.Unavailable)
        {
            return TokenCheck.Reject(AuthErrors.KeysUnavailable, retryAfter: lookup.RetryAfter);
        }

        if (lookup.Status == KeyLookupStatus.Unknown)
        {
            return TokenCheck.Reject(AuthErrors.UnknownKey);
        }

        // 6. The signature, before any claim is trusted.
        if (!VerifySignature(jws, lookup.Key!))
        {
            return TokenCheck.Reject(AuthErrors.BadSignature);
        }

        // 7. The claims: a JSON object without duplicate members.
        var payload = Base64UrlStrict.Decode(jws.PayloadSegment);
        if (payload is null)
        {
            return TokenCheck.Reject(AuthErrors.Malformed);
        }

        return CheckClaims(payload, lookup.Key!);
    }

    /// <summary>Steps 2 to 4 of the checklist.</summary>
    internal static AuthError? CheckHeader(CompactJws jws)
    {
        // 2. RS256 only, decided from the header before any key is looked up (RFC 8725 §3.1): none, HS256 with the public key as secret, PS256...
        if (!string.Equals(jws.Alg, RequiredAlgorithm, StringComparison.Ordinal))
        {
            return AuthErrors.AlgorithmNotAllowed;
        }

        // 3. No critical header extensions are understood, so any crit is rejected (RFC 7515 §4.1.11).
        if (jws.HasCrit)
        {
            return AuthErrors.CriticalHeader;
        }

        // 4. The kid must name the key: keys are never tried one after another.
        return jws.Kid is null ? AuthErrors.MissingKeyId : null;
    }

    /// <summary>
    /// Steps 1 to 6 against a fixed key set, without claims: the signature layer the Wycheproof vectors run through.
    /// </summary>
    internal static AuthError? CheckSignatureLayer(string token, IReadOnlyDictionary<string, SigningKey> keys)
    {
        var jws = CompactJws.TryParse(token, out var error);
        if (jws is null)
        {
            return error;
        }

        var headerError = CheckHeader(jws);
        if (headerError is not null)
        {
            return headerError;
        }

        if (!keys.TryGetValue(jws.Kid!, out var key))
        {
            return AuthErrors.UnknownKey;
        }

        return VerifySignature(jws, key) ? null : AuthErrors.BadSignature;
    }

    /// <summary>Step 6 of the checklist.</summary>
    internal static bool VerifySignature(CompactJws jws, SigningKey key)
    {
        var signature = Base64UrlStrict.Decode(jws.SignatureSegment);
        if (signature is null)
        {
            return false;
        }

        var input = jws.SigningInput;
        var rented = ArrayPool<byte>.Shared.Rent(input.Length);
        try
        {
            var length = Encoding.ASCII.GetBytes(input, rented);
            return Rs256Signature.Verify(key, rented.AsSpan(0, length), signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private TokenCheck CheckClaims(byte[] payload, SigningKey key)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return TokenCheck.Reject(AuthErrors.Malformed);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || JsonClaims.HasDuplicateMembers(root))
            {
                return TokenCheck.Reject(AuthErrors.Malformed);
            }

            var now = _time.GetUtcNow();
            var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;

            // 8. exp is required and is a NumericDate (a JSON number, RFC 7519 §2); expired beyond the skew is rejected.
            if (!root.TryGetProperty("exp", out var expElement))
            {
                return TokenCheck.Reject(AuthErrors.MissingExpiration);
            }

            if (!TryReadNumericDate(expElement, out var exp) ||
                (root.TryGetProperty("nbf", out var nbfElement) && !TryReadNumericDate(nbfElement, out _)) ||
                (root.TryGetProperty("iat", out var iatElement) && !TryReadNumericDate(iatElement, out _)))
            {
                return TokenCheck.Reject(AuthErrors.InvalidTimeClaim);
            }

            if (nowSeconds > exp + _skewSeconds)
            {
                return TokenCheck.Reject(AuthErrors.Expired);
            }

            // 9. nbf, when present, with the same skew.
            double? nbf = null;
            if (root.TryGetProperty("nbf", out nbfElement))
            {
                nbf = nbfElement.GetDouble();
                if (nowSeconds + _skewSeconds < nbf)
                {
                    return TokenCheck.Reject(AuthErrors.NotYetValid);
                }
            }

            // 10. iss is exactly the tenant URL: no trailing slash, no case folding.
            var iss = root.TryGetProperty("iss", out var issElement) && issElement.ValueKind == JsonValueKind.String ? issElement.GetString() : null;
            if (!string.Equals(iss, _issuer, StringComparison.Ordinal))
            {
                return TokenCheck.Reject(AuthErrors.WrongIssuer, $"expected issuer '{_issuer}', got '{JsonClaims.Printable(iss)}'");
            }

            // 11. aud contains one of our API identifiers, compared exactly (no trailing-slash leniency).
            var audiences = ReadAudiences(root);
            var audienceOk = audiences is not null && audiences.Exists(a => Array.IndexOf(_audiences, a) >= 0);
            var idTokenMarkers = root.TryGetProperty("nonce", out _) || root.TryGetProperty("at_hash", out _) || root.TryGetProperty("c_hash", out _);
            if (!audienceOk)
            {
                var detail = $"expected audience {JsonClaims.Join(_audiences)}, got {(audiences is null ? "none" : JsonClaims.Join(audiences))}";

                // 12. The usual mistakes get a specific answer: an ID token (aud is the client id) or a token requested without an audience.
                if (idTokenMarkers || (audiences is { Count: 1 } && (IsClaim(root, "azp", audiences[0]) || IsClaim(root, "client_id", audiences[0]))))
                {
                    return TokenCheck.Reject(AuthErrors.IdTokenSent, detail);
                }

                if (audiences is not null && audiences.Count > 0 && audiences.TrueForAll(a => string.Equals(a, _userInfoAudience, StringComparison.Ordinal)))
                {
                    return TokenCheck.Reject(AuthErrors.UserInfoAudience, detail);
                }

                return TokenCheck.Reject(AuthErrors.WrongAudience, detail);
            }

            // 13. ID-token claims on a token for this API: an ID token is never an access token.
            if (idTokenMarkers)
            {
                return TokenCheck.Reject(AuthErrors.IdTokenSent);
            }

            var claims = new List<ClaimData>(16);
            foreach (var member in root.EnumerateObject())
            {
                JsonClaims.Add(claims, member.Name, member.Value);
            }

            return TokenCheck.Valid(new ValidatedToken(
                key,
                _issuer,
                ToTime(exp),
                nbf is null ? null : ToTime(nbf.Value),
                [.. claims]));
        }
    }

    private TokenCheck Rejected(TokenCheck check)
    {
        _metrics.TokenRejected(check.Error!.Reason);
        Log.TokenRejected(_logger, check.Error.Reason);
        return check;
    }

    private static bool TryReadNumericDate(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static DateTimeOffset ToTime(double seconds)
    {
        const double Max = 253402300799;
        var clamped = Math.Clamp(seconds, 0, Max);
        return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Floor(clamped * 1000));
    }

    private static List<string>? ReadAudiences(JsonElement root)
    {
        if (!root.TryGetProperty("aud", out var aud))
        {
            return null;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return [aud.GetString()!];
        }

        if (aud.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var item in aud.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            list.Add(item.GetString()!);
        }

        return list;
    }

    private static bool IsClaim(JsonElement root, string name, string value) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() == value;
}
