using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// The validation checklist of an access token (RFC 7515, RFC 7519, RFC 8725, Faable's rules), in order: the only place
/// a token rule lives. Without a <see cref="TokenReport"/> it stops at the first failure (the resource server); with one
/// it records every step and continues past failures as far as the token can be read (the token doctor). The verdict
/// is always the first failure, so both uses give the same answer from the same code.
/// </summary>
internal sealed class TokenChecklist
{
    public const string RequiredAlgorithm = "RS256";

    private static readonly string[] IdTokenClaimNames = ["nonce", "at_hash", "c_hash"];

    private readonly string[] _audiences;
    private readonly string[] _issuerAsList;
    private readonly double _skewSeconds;
    private readonly TimeProvider _time;

    public TokenChecklist(FaableTenant tenant, FaableAuthOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Issuer = tenant.Issuer;
        UserInfoAudience = tenant.UserInfoAudience;
        _audiences = [.. FaableAuthOptionsValidator.AudienceList(options)];
        _issuerAsList = [Issuer];
        _skewSeconds = options.ClockSkew.TotalSeconds;
        MaxTokenLength = options.MaxTokenLength;
        _time = time;
    }

    public string Issuer { get; }

    public string UserInfoAudience { get; }

    public IReadOnlyList<string> Audiences => _audiences;

    public TimeSpan ClockSkew => TimeSpan.FromSeconds(_skewSeconds);

    public int MaxTokenLength { get; }

    /// <summary>Step 0, also applied before the token cache so that an oversized token is never hashed.</summary>
    public bool IsTooLong(ReadOnlySpan<char> token) => token.Length > MaxTokenLength;

    /// <summary>Runs the checklist. <paramref name="findKey"/> answers for the token's <c>kid</c> (the tenant's JWKS).</summary>
    public async ValueTask<TokenCheck> RunAsync(
        string token,
        Func<CompactJws, CancellationToken, ValueTask<KeyLookup>> findKey,
        TokenReport? report,
        CancellationToken cancellationToken)
    {
        var run = new Run(report);
        var verdict = await RunStepsAsync(token, findKey, run, cancellationToken).ConfigureAwait(false);
        if (report is not null)
        {
            report.Verdict = verdict;
        }

        return verdict;
    }

    /// <summary>Steps 0 to 6 against a fixed key set, without claims: the signature layer the Wycheproof vectors run through.</summary>
    internal static AuthError? CheckSignatureLayer(string token, IReadOnlyDictionary<string, SigningKey> keys)
    {
        var run = new Run(null);
        var jws = CompactJws.TryParse(token, out var error, out var header);
        if (run.Check(TokenStep.Structure, error) || HeaderSteps(run, header!))
        {
            return run.Failure.Error;
        }

        var found = keys.TryGetValue(jws!.Kid!, out var key);
        if (run.Check(TokenStep.Key, found ? null : AuthErrors.UnknownKey) ||
            run.Check(TokenStep.Signature, VerifySignature(jws, key!) ? null : AuthErrors.BadSignature))
        {
            return run.Failure.Error;
        }

        return null;
    }

    /// <summary>Step 6: the RS256 signature over the signing input, with the key the header names.</summary>
    internal static bool VerifySignature(CompactJws jws, SigningKey key)
    {
        // One rented buffer holds the signing input's ASCII bytes and, after them, the decoded signature.
        var input = jws.SigningInput;
        var signatureText = jws.SignatureSegment;
        var rented = ArrayPool<byte>.Shared.Rent(input.Length + System.Buffers.Text.Base64Url.GetMaxDecodedLength(signatureText.Length));
        try
        {
            var length = Encoding.ASCII.GetBytes(input, rented);
            var signature = rented.AsSpan(length);
            return Base64UrlStrict.TryDecode(signatureText, signature, out var signatureLength) &&
                Rs256Signature.Verify(key, rented.AsSpan(0, length), signature[..signatureLength]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async ValueTask<TokenCheck> RunStepsAsync(
        string token,
        Func<CompactJws, CancellationToken, ValueTask<KeyLookup>> findKey,
        Run run,
        CancellationToken cancellationToken)
    {
        var report = run.Report;
        if (report is not null)
        {
            report.Length = token.Length;
            report.SegmentCount = token.AsSpan().Count('.') + 1;
        }

        // 0. Length, before anything is parsed; nothing more is read from an oversized token.
        if (run.Check(TokenStep.Length, IsTooLong(token) ? AuthErrors.TokenTooLarge : null) || run.HasFailed)
        {
            return run.Failure;
        }

        // 1. Compact JWS: exactly three base64url segments, the first a JSON object; five segments is an encrypted token (JWE).
        var jws = CompactJws.TryParse(token, out var structureError, out var header);
        if (run.Check(TokenStep.Structure, structureError))
        {
            return run.Failure;
        }

        if (report is not null)
        {
            report.Header = header;
        }

        // 2-4. The header: RS256 only, no crit, a kid.
        if (header is null)
        {
            run.Skip(TokenStep.Algorithm, TokenStep.CriticalHeader, TokenStep.KeyId);
        }
        else if (HeaderSteps(run, header))
        {
            return run.Failure;
        }

        // 5. The key comes from the tenant's JWKS only (jwk, jku, x5u headers are ignored); an unknown kid refreshes once per cool-down.
        SigningKey? key = null;
        if (jws is null || run.HasFailed)
        {
            // Only a report gets here: no key is looked up for a token whose header already failed.
            run.Skip(TokenStep.Key, TokenStep.Signature);
        }
        else
        {
            var lookup = await findKey(jws, cancellationToken).ConfigureAwait(false);
            if (report is not null)
            {
                report.KeyLookup = lookup;
            }

            var keyError = lookup.Status switch
            {
                KeyLookupStatus.Found => null,
                KeyLookupStatus.Unavailable => AuthErrors.KeysUnavailable,
                _ => AuthErrors.UnknownKey,
            };
            if (run.Check(TokenStep.Key, keyError, retryAfter: lookup.Status == KeyLookupStatus.Unavailable ? lookup.RetryAfter : null))
            {
                return run.Failure;
            }

            if (keyError is null)
            {
                // 6. The signature, before any claim is trusted.
                key = lookup.Key!;
                if (run.Check(TokenStep.Signature, VerifySignature(jws, key) ? null : AuthErrors.BadSignature))
                {
                    return run.Failure;
                }
            }
            else
            {
                run.Skip(TokenStep.Signature);
            }
        }

        // 7. The claims: a UTF-8 JSON object without duplicate members. A report reads them unverified, to explain them.
        if (report is not null)
        {
            report.PayloadVerified = !run.HasFailed;
        }

        var payloadSegment = jws is not null ? jws.PayloadSegment : SecondSegment(token, structureError);
        var payload = Base64UrlStrict.Decode(payloadSegment);
        using var document = payload is null ? null : JsonClaims.TryParseObject(payload, maxDepth: 16);
        if (run.Check(TokenStep.Payload, document is null ? AuthErrors.Malformed : null) || document is null)
        {
            return run.Failure;
        }

        return CheckClaims(run, document.RootElement, key);
    }

    /// <summary>Steps 2 to 4.</summary>
    private static bool HeaderSteps(Run run, JwsHeader header) =>

        // 2. RS256 only, decided from the header before any key is looked up (RFC 8725 §3.1): none, HS256 with the public key as secret, PS256...
        run.Check(TokenStep.Algorithm, header.Alg is null ? AuthErrors.Malformed : header.Alg != RequiredAlgorithm ? AuthErrors.AlgorithmNotAllowed : null) ||

        // 3. No critical header extensions are understood, so any crit is rejected (RFC 7515 §4.1.11).
        run.Check(TokenStep.CriticalHeader, header.HasCrit ? AuthErrors.CriticalHeader : null) ||

        // 4. The kid must name the key: keys are never tried one after another.
        run.Check(TokenStep.KeyId, header.Kid is null ? AuthErrors.MissingKeyId : null);

    private static ReadOnlySpan<char> SecondSegment(string token, AuthError? structureError)
    {
        // A JWE's second segment is an encrypted key, not claims.
        if (structureError == AuthErrors.EncryptedToken)
        {
            return default;
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        if (firstDot < 0)
        {
            return default;
        }

        var next = token.IndexOf('.', firstDot + 1);
        return next < 0 ? token.AsSpan(firstDot + 1) : token.AsSpan(firstDot + 1, next - firstDot - 1);
    }

    private TokenCheck CheckClaims(Run run, JsonElement root, SigningKey? key)
    {
        var report = run.Report;
        var now = _time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        if (report is not null)
        {
            report.Now = now;
            report.Payload = root.Clone();
        }

        // One pass over the claims set (no duplicate members, step 7): the members the steps below read, and the claims
        // as the principal holds them, names and values exactly as sent.
        var claims = new List<ClaimData>(16);
        JsonElement expElement = default, nbfElement = default, iatElement = default, issElement = default, audElement = default;
        bool hasExp = false, hasNbf = false, hasIat = false, hasIss = false, hasAud = false;
        var idTokenMask = 0;
        foreach (var member in root.EnumerateObject())
        {
            var name = JsonClaims.Name(member);
            var value = member.Value;
            string[]? known = null;
            switch (name)
            {
                case "exp": (hasExp, expElement) = (true, value); break;
                case "nbf": (hasNbf, nbfElement) = (true, value); break;
                case "iat": (hasIat, iatElement) = (true, value); break;
                case "iss": (hasIss, issElement, known) = (true, value, _issuerAsList); break;
                case "aud": (hasAud, audElement, known) = (true, value, _audiences); break;
                case "nonce" or "at_hash" or "c_hash": idTokenMask |= 1 << Array.IndexOf(IdTokenClaimNames, name); break;
            }

            JsonClaims.Add(claims, name, value, known);
        }

        // 8. exp is required and is a NumericDate (a JSON number, RFC 7519 §2); expired beyond the skew is rejected.
        var expOk = TryReadNumericDate(expElement, hasExp, out var exp);
        if (run.Check(
            TokenStep.Expiration,
            !hasExp ? AuthErrors.MissingExpiration : !expOk ? AuthErrors.InvalidTimeClaim : nowSeconds > exp + _skewSeconds ? AuthErrors.Expired : null))
        {
            return run.Failure;
        }

        // 9. nbf, when present, is a NumericDate and not in the future beyond the same skew.
        var nbfOk = TryReadNumericDate(nbfElement, hasNbf, out var nbf);
        if (run.Check(
            TokenStep.NotBefore,
            !hasNbf ? null : !nbfOk ? AuthErrors.InvalidTimeClaim : nowSeconds + _skewSeconds < nbf ? AuthErrors.NotYetValid : null))
        {
            return run.Failure;
        }

        // 10. iat, when present, is a NumericDate (its value is not enforced).
        var iatOk = TryReadNumericDate(iatElement, hasIat, out var iat);
        if (run.Check(TokenStep.IssuedAt, hasIat && !iatOk ? AuthErrors.InvalidTimeClaim : null))
        {
            return run.Failure;
        }

        // 11. iss is exactly the tenant URL: no trailing slash, no case folding.
        var iss = hasIss && issElement.ValueKind == JsonValueKind.String ? JsonClaims.GetString(issElement, _issuerAsList) : null;
        var issOk = string.Equals(iss, Issuer, StringComparison.Ordinal);
        if (run.Check(TokenStep.Issuer, issOk ? null : AuthErrors.WrongIssuer, issOk ? null : $"expected issuer '{Issuer}', got '{JsonClaims.Printable(iss)}'"))
        {
            return run.Failure;
        }

        // 12. aud contains one of our API identifiers, compared exactly (no trailing-slash leniency). The usual mistakes
        //     get a specific answer: an ID token (aud is the client id) or a token requested without an audience.
        var audiences = hasAud ? ReadAudiences(audElement) : null;
        var audienceOk = audiences is not null && IsOurs(audiences);
        string[] idTokenClaims = idTokenMask == 0 ? [] : [.. IdTokenClaimNames.Where((_, i) => (idTokenMask & (1 << i)) != 0)];
        AuthError? audienceError = null;
        string? audienceDetail = null;
        if (!audienceOk)
        {
            audienceDetail = $"expected audience {JsonClaims.Join(_audiences)}, got {(audiences is null ? "none" : JsonClaims.Join(audiences))}";
            audienceError =
                idTokenClaims.Length > 0 || (audiences is { Count: 1 } && (IsClaim(root, "azp", audiences[0]) || IsClaim(root, "client_id", audiences[0])))
                    ? AuthErrors.IdTokenSent
                    : audiences is { Count: > 0 } && audiences.TrueForAll(a => string.Equals(a, UserInfoAudience, StringComparison.Ordinal))
                        ? AuthErrors.UserInfoAudience
                        : AuthErrors.WrongAudience;
        }

        if (report is not null)
        {
            report.Expiration = expOk ? exp : null;
            report.NotBefore = nbfOk ? nbf : null;
            report.IssuedAt = iatOk ? iat : null;
            report.Issuer = iss;
            report.Audiences = audiences;
            report.IdTokenClaims = idTokenClaims;
        }

        if (run.Check(TokenStep.Audience, audienceError, audienceDetail))
        {
            return run.Failure;
        }

        // 13. ID-token claims on a token for this API: an ID token is never an access token.
        if (!audienceOk)
        {
            run.Skip(TokenStep.TokenKind);
        }
        else if (run.Check(TokenStep.TokenKind, idTokenClaims.Length > 0 ? AuthErrors.IdTokenSent : null))
        {
            return run.Failure;
        }

        if (report is not null)
        {
            report.Claims = claims;
        }

        return run.HasFailed
            ? run.Failure
            : TokenCheck.Valid(new ValidatedToken(key!, Issuer, ToTime(exp), hasNbf ? ToTime(nbf) : null, [.. claims]));
    }

    private static bool TryReadNumericDate(JsonElement element, bool present, out double value)
    {
        value = 0;
        return present && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static DateTimeOffset ToTime(double seconds)
    {
        const double Max = 253402300799;
        var clamped = Math.Clamp(seconds, 0, Max);
        return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Floor(clamped * 1000));
    }

    private bool IsOurs(List<string> audiences)
    {
        foreach (var audience in audiences)
        {
            if (Array.IndexOf(_audiences, audience) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private List<string>? ReadAudiences(JsonElement aud)
    {
        if (aud.ValueKind == JsonValueKind.String)
        {
            return [JsonClaims.GetString(aud, _audiences)];
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

            list.Add(JsonClaims.GetString(item, _audiences));
        }

        return list;
    }

    private static bool IsClaim(JsonElement root, string name, string value) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() == value;

    /// <summary>
    /// One run of the checklist: the first failure is the verdict. Without a report a failed step stops the run; with
    /// one every step is recorded and the run goes on.
    /// </summary>
    private sealed class Run(TokenReport? report)
    {
        private TokenCheck _failure;

        public TokenReport? Report => report;

        public bool HasFailed { get; private set; }

        public TokenCheck Failure => _failure;

        /// <summary>Records a step; returns <see langword="true"/> when the run stops here.</summary>
        public bool Check(TokenStep step, AuthError? error, string? detail = null, TimeSpan? retryAfter = null)
        {
            if (error is null)
            {
                report?.Add(new TokenStepResult(step, TokenStepOutcome.Passed, null, null));
                return false;
            }

            if (!HasFailed)
            {
                HasFailed = true;
                _failure = TokenCheck.Reject(error, detail, retryAfter);
            }

            report?.Add(new TokenStepResult(step, TokenStepOutcome.Failed, error, detail));
            return report is null;
        }

        public void Skip(params ReadOnlySpan<TokenStep> steps)
        {
            foreach (var step in steps)
            {
                report?.Add(new TokenStepResult(step, TokenStepOutcome.Skipped, null, null));
            }
        }
    }
}
