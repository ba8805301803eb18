using System.Globalization;
using System.Text;
using System.Text.Json;
using Faable.AspNetCore.Internal;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>
/// Explains every check of <see cref="FaableTokenValidator"/> against one token, in the same order, and keeps going after
/// a failure so that every problem is reported. Reads the token without trusting it; never logs or echoes it.
/// </summary>
internal sealed class TokenExamination
{
    private readonly List<FaableTokenCheck> _checks = [];
    private readonly FaableTenant? _tenant;
    private static readonly string[] KeyHeaders = ["jku", "jwk", "x5u", "x5c"];
    private static readonly string[] IdTokenClaims = ["nonce", "at_hash", "c_hash"];
    private readonly List<string> _audiences;
    private readonly FaableAuthOptions _options;
    private readonly DateTimeOffset _now;

    private TokenExamination(FaableAuthOptions options, DateTimeOffset now)
    {
        _options = options;
        _now = now;
        _tenant = FaableTenant.TryParse(options.Domain, out var tenant, out _) ? tenant : null;
        _audiences = FaableAuthOptionsValidator.AudienceList(options);
    }

    public static async ValueTask<FaableTokenDiagnosis> RunAsync(
        string token,
        FaableAuthOptions options,
        DateTimeOffset now,
        Func<string, CancellationToken, ValueTask<TokenKeyLookup>> findKey,
        CancellationToken cancellationToken)
    {
        var examination = new TokenExamination(options, now);
        await examination.ExamineAsync(token.Trim(), findKey, cancellationToken).ConfigureAwait(false);
        return new FaableTokenDiagnosis(examination._checks, null);
    }

    private void Add(string name, FaableTokenCheckStatus status, string explanation, AuthError? error = null) =>
        _checks.Add(new FaableTokenCheck(name, status, explanation, status == FaableTokenCheckStatus.Failed ? error?.Reason : null));

    private async ValueTask ExamineAsync(string token, Func<string, CancellationToken, ValueTask<TokenKeyLookup>> findKey, CancellationToken cancellationToken)
    {
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = token[7..].Trim();
        }

        // 0. Length, before anything is parsed.
        if (token.Length > _options.MaxTokenLength)
        {
            Add("length", FaableTokenCheckStatus.Failed, $"{token.Length} characters, more than Faable:MaxTokenLength ({_options.MaxTokenLength}).", AuthErrors.TokenTooLarge);
            return;
        }

        Add("length", FaableTokenCheckStatus.Passed, $"{token.Length} characters (at most {_options.MaxTokenLength}).");

        // 1. Compact JWS structure.
        var segments = token.Split('.');
        var jws = CompactJws.TryParse(token, out var structureError);
        if (jws is null)
        {
            var why = structureError == AuthErrors.EncryptedToken
                ? "five segments: an encrypted token (JWE); Faable access tokens are signed JWTs with three segments."
                : segments.Length != 3
                    ? $"{segments.Length} segment(s); a signed JWT has exactly three (header.payload.signature). Copy the whole access token, without quotes."
                    : "the segments are not strict base64url (no padding '=', no '+' or '/', no white space) or the header is not a JSON object with alg.";
            Add("structure", FaableTokenCheckStatus.Failed, why, structureError);
        }
        else
        {
            Add("structure", FaableTokenCheckStatus.Passed, "three base64url segments (a signed JWT).");
        }

        // 2-4. The header, read leniently so that a broken token is still explained.
        using var header = segments.Length >= 1 ? TryParseJson(segments[0]) : null;
        if (header is null)
        {
            Add("header", FaableTokenCheckStatus.Failed, "the first segment does not decode to a JSON object.", AuthErrors.Malformed);
        }
        else
        {
            ExplainHeader(header.RootElement);
        }

        // 5-6. Key and signature.
        var signatureOk = false;
        var kid = header is not null && header.RootElement.TryGetProperty("kid", out var kidElement) && kidElement.ValueKind == JsonValueKind.String ? kidElement.GetString() : null;
        if (jws is null || jws.Alg != FaableTokenValidator.RequiredAlgorithm || string.IsNullOrEmpty(kid))
        {
            Add("key", FaableTokenCheckStatus.Skipped, "not looked up: the header does not name an RS256 key by kid.");
            Add("signature", FaableTokenCheckStatus.Skipped, "not verified: no key to verify with.");
        }
        else
        {
            var lookup = await findKey(kid, cancellationToken).ConfigureAwait(false);
            if (lookup.Key is null)
            {
                Add("key", FaableTokenCheckStatus.Failed, lookup.Explanation, lookup.FailureReason == AuthErrors.KeysUnavailable.Reason ? AuthErrors.KeysUnavailable : AuthErrors.UnknownKey);
                Add("signature", FaableTokenCheckStatus.Skipped, "not verified: the key is not available.");
            }
            else
            {
                Add("key", FaableTokenCheckStatus.Passed, lookup.Explanation);
                signatureOk = FaableTokenValidator.VerifySignature(jws, lookup.Key);
                Add(
                    "signature",
                    signatureOk ? FaableTokenCheckStatus.Passed : FaableTokenCheckStatus.Failed,
                    signatureOk
                        ? $"RS256 signature verifies with key '{lookup.Key.Kid}' ({lookup.Key.ModulusBits}-bit RSA)."
                        : $"RS256 signature does not verify with key '{lookup.Key.Kid}': the token was altered, or signed by another tenant with a colliding kid.",
                    AuthErrors.BadSignature);
            }
        }

        // 7-13. The claims, read even when the signature is not verified, to explain everything at once.
        using var payload = segments.Length >= 2 ? TryParseJson(segments[1]) : null;
        if (payload is null)
        {
            Add("payload", FaableTokenCheckStatus.Failed, "the second segment does not decode to a JSON object without duplicate members.", AuthErrors.Malformed);
            return;
        }

        Add("payload", signatureOk ? FaableTokenCheckStatus.Passed : FaableTokenCheckStatus.Info, signatureOk
            ? "a JSON object without duplicate members."
            : "a JSON object; the claims below are read from an UNVERIFIED payload, to explain them.");
        ExplainClaims(payload.RootElement);
    }

    private void ExplainHeader(JsonElement header)
    {
        var alg = Str(header, "alg");
        if (string.Equals(alg, FaableTokenValidator.RequiredAlgorithm, StringComparison.Ordinal))
        {
            Add("header.alg", FaableTokenCheckStatus.Passed, "RS256, the only algorithm Faable signs with.");
        }
        else
        {
            var hint = alg switch
            {
                null => "missing",
                "none" => "'none' (an unsigned token is never accepted)",
                "HS256" => "'HS256' (a symmetric algorithm; Faable access tokens are RS256)",
                _ => $"'{JsonClaims.Printable(alg)}'",
            };
            Add("header.alg", FaableTokenCheckStatus.Failed, $"{hint}; only RS256 is accepted, decided before any key lookup (RFC 8725 §3.1).", alg is null ? AuthErrors.Malformed : AuthErrors.AlgorithmNotAllowed);
        }

        var typ = Str(header, "typ");
        Add("header.typ", FaableTokenCheckStatus.Info, typ is null ? "absent (not enforced)." : $"'{JsonClaims.Printable(typ)}' (not enforced).");

        if (header.TryGetProperty("crit", out _))
        {
            Add("header.crit", FaableTokenCheckStatus.Failed, "present: no critical extension is understood, so the token is rejected (RFC 7515 §4.1.11).", AuthErrors.CriticalHeader);
        }
        else
        {
            Add("header.crit", FaableTokenCheckStatus.Passed, "absent.");
        }

        var kid = Str(header, "kid");
        if (string.IsNullOrEmpty(kid))
        {
            Add("header.kid", FaableTokenCheckStatus.Failed, "missing: the key must be named by kid; keys are never tried one by one.", AuthErrors.MissingKeyId);
        }
        else
        {
            Add("header.kid", FaableTokenCheckStatus.Passed, $"'{JsonClaims.Printable(kid)}'.");
        }

        var ignored = KeyHeaders.Where(h => header.TryGetProperty(h, out _)).ToList();
        if (ignored.Count > 0)
        {
            Add("header.keys", FaableTokenCheckStatus.Warning, $"{string.Join(", ", ignored)} present and ignored: keys come only from the tenant's JWKS.");
        }
    }

    private void ExplainClaims(JsonElement root)
    {
        var nowSeconds = _now.ToUnixTimeMilliseconds() / 1000.0;
        var skew = _options.ClockSkew.TotalSeconds;

        // 8. exp.
        if (!root.TryGetProperty("exp", out var exp))
        {
            Add("exp", FaableTokenCheckStatus.Failed, "missing: access tokens must expire.", AuthErrors.MissingExpiration);
        }
        else if (!IsNumericDate(exp, out var expSeconds))
        {
            Add("exp", FaableTokenCheckStatus.Failed, $"{exp.ValueKind} instead of a NumericDate (a JSON number of seconds).", AuthErrors.InvalidTimeClaim);
        }
        else if (nowSeconds > expSeconds + skew)
        {
            Add("exp", FaableTokenCheckStatus.Failed, $"expired at {Time(expSeconds)}, {Ago(nowSeconds - expSeconds)} ago (clock skew allowed: {skew:0} s). Get a new token.", AuthErrors.Expired);
        }
        else
        {
            Add("exp", FaableTokenCheckStatus.Passed, $"expires at {Time(expSeconds)}, in {Ago(expSeconds - nowSeconds)} (clock skew {skew:0} s).");
        }

        // 9. nbf.
        if (root.TryGetProperty("nbf", out var nbf))
        {
            if (!IsNumericDate(nbf, out var nbfSeconds))
            {
                Add("nbf", FaableTokenCheckStatus.Failed, $"{nbf.ValueKind} instead of a NumericDate.", AuthErrors.InvalidTimeClaim);
            }
            else if (nowSeconds + skew < nbfSeconds)
            {
                Add("nbf", FaableTokenCheckStatus.Failed, $"not valid before {Time(nbfSeconds)}, {Ago(nbfSeconds - nowSeconds)} from now: check this machine's clock.", AuthErrors.NotYetValid);
            }
            else
            {
                Add("nbf", FaableTokenCheckStatus.Passed, $"valid since {Time(nbfSeconds)}.");
            }
        }
        else
        {
            Add("nbf", FaableTokenCheckStatus.Info, "absent (optional).");
        }

        if (root.TryGetProperty("iat", out var iat))
        {
            if (!IsNumericDate(iat, out var iatSeconds))
            {
                Add("iat", FaableTokenCheckStatus.Failed, $"{iat.ValueKind} instead of a NumericDate.", AuthErrors.InvalidTimeClaim);
            }
            else if (iatSeconds > nowSeconds + skew)
            {
                Add("iat", FaableTokenCheckStatus.Warning, $"issued in the future ({Time(iatSeconds)}): one of the clocks is wrong (not enforced).");
            }
            else
            {
                Add("iat", FaableTokenCheckStatus.Info, $"issued at {Time(iatSeconds)}.");
            }
        }

        // 10. iss, exactly.
        var iss = Str(root, "iss");
        var expected = _tenant?.Issuer;
        if (expected is null)
        {
            Add("iss", FaableTokenCheckStatus.Failed, "Faable:Domain is not configured or invalid, so no issuer is accepted.", AuthErrors.WrongIssuer);
        }
        else if (string.Equals(iss, expected, StringComparison.Ordinal))
        {
            Add("iss", FaableTokenCheckStatus.Passed, $"'{expected}', exactly the tenant URL.");
        }
        else
        {
            var hint = iss is null ? "the token has no iss"
                : iss.TrimEnd('/') == expected ? "the token's issuer ends with '/' (configs ported from Auth0 add one); the tenant URL has no trailing slash"
                : string.Equals(iss, expected, StringComparison.OrdinalIgnoreCase) ? "the issuer differs only in letter case; the comparison is exact"
                : "the token comes from another tenant, or Faable:Domain points at the wrong one";
            Add("iss", FaableTokenCheckStatus.Failed, $"expected '{expected}', got '{JsonClaims.Printable(iss)}': {hint}.", AuthErrors.WrongIssuer);
        }

        // 11-13. aud and the usual mistakes.
        var audiences = ReadAudiences(root);
        var idMarkers = IdTokenClaims.Where(n => root.TryGetProperty(n, out _)).ToList();
        var audienceOk = audiences is not null && audiences.Exists(a => _audiences.Contains(a, StringComparer.Ordinal));
        var expectedText = _audiences.Count == 0 ? "(none configured: set Faable:Audience)" : string.Join(", ", _audiences.Select(a => $"'{a}'"));
        var gotText = audiences is null ? "none" : string.Join(", ", audiences.Select(a => $"'{JsonClaims.Printable(a)}'"));
        if (audienceOk)
        {
            Add("aud", FaableTokenCheckStatus.Passed, $"{gotText} includes this API ({expectedText}).");
        }
        else
        {
            var looksLikeIdToken = idMarkers.Count > 0 || (audiences is { Count: 1 } && (Str(root, "azp") == audiences[0] || Str(root, "client_id") == audiences[0]));
            var userInfo = _tenant is not null && audiences is { Count: > 0 } && audiences.TrueForAll(a => a == _tenant.UserInfoAudience);
            if (looksLikeIdToken)
            {
                Add("aud", FaableTokenCheckStatus.Failed, $"expected {expectedText}, got {gotText}: this is an ID token (its aud is the client id). Send the access token requested with audience set to this API.", AuthErrors.IdTokenSent);
            }
            else if (userInfo)
            {
                Add("aud", FaableTokenCheckStatus.Failed, $"expected {expectedText}, got {gotText}: the token was requested without an audience, so it is only good for /userinfo. Request it with audience={(_audiences.Count > 0 ? _audiences[0] : "<your API identifier>")}.", AuthErrors.UserInfoAudience);
            }
            else
            {
                var slash = audiences?.Exists(a => _audiences.Any(e => e.TrimEnd('/') == a.TrimEnd('/'))) == true ? " The values differ only by a trailing '/': the comparison is exact." : string.Empty;
                var clientLike = audiences is { Count: 1 } && !audiences[0].Contains(':', StringComparison.Ordinal) &&
                    !root.TryGetProperty("scope", out _) && !root.TryGetProperty("permissions", out _);
                var idHint = clientLike ? $" The aud looks like a client id and there is no scope: this may be an ID token; send the access token requested with audience={(_audiences.Count > 0 ? _audiences[0] : "<your API identifier>")}." : string.Empty;
                Add("aud", FaableTokenCheckStatus.Failed, $"expected {expectedText}, got {gotText}.{slash}{idHint}", AuthErrors.WrongAudience);
            }
        }

        if (idMarkers.Count > 0)
        {
            Add("token kind", audienceOk ? FaableTokenCheckStatus.Failed : FaableTokenCheckStatus.Warning, $"ID-token claims present ({string.Join(", ", idMarkers)}): an ID token is never an access token.", AuthErrors.IdTokenSent);
        }
        else
        {
            var sub = Str(root, "sub");
            var machine = sub is not null && sub == Str(root, "client_id");
            Add("token kind", FaableTokenCheckStatus.Info, machine ? "machine-to-machine access token (sub equals client_id)." : $"user access token (sub '{JsonClaims.Printable(sub)}').");
        }

        ExplainScopeClaim(root, "scope");
        ExplainScopeClaim(root, "permissions");
    }

    private void ExplainScopeClaim(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            Add(name, FaableTokenCheckStatus.Info, name == "permissions" && _options.TrustPermissionsOnly
                ? "absent, and Faable:TrustPermissionsOnly is true: every scope requirement will fail with 403."
                : "absent.");
            return;
        }

        List<string> values;
        string shape;
        if (value.ValueKind == JsonValueKind.String)
        {
            values = [.. value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            shape = "a space-separated string";
        }
        else if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            values = [.. value.EnumerateArray().Select(e => e.GetString()!)];
            shape = "a JSON array";
        }
        else
        {
            Add(name, FaableTokenCheckStatus.Warning, $"{value.ValueKind}: neither a space-separated string nor an array of strings, so it grants nothing.");
            return;
        }

        var listed = values.Count == 0 ? "nothing" : string.Join(' ', values.Select(v => JsonClaims.Printable(v)));
        var odd = values.Where(v => v.Contains(',', StringComparison.Ordinal)).ToList();
        if (odd.Count > 0)
        {
            Add(name, FaableTokenCheckStatus.Warning, $"{shape} granting {listed}; '{JsonClaims.Printable(odd[0])}' contains a comma: values are separated by spaces, so it is one (unusual) value.");
            return;
        }

        var used = name == "scope" && _options.TrustPermissionsOnly ? " (ignored: Faable:TrustPermissionsOnly is true)" : string.Empty;
        Add(name, FaableTokenCheckStatus.Info, $"{shape} granting {listed}{used}.");
    }

    private static JsonDocument? TryParseJson(string segment)
    {
        var bytes = Decode(segment) ?? Decode(segment.Trim().TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        if (bytes is null)
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object || JsonClaims.HasDuplicateMembers(document.RootElement))
            {
                document.Dispose();
                return null;
            }

            return document;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? Decode(string segment)
    {
        try
        {
            return Base64UrlStrict.Decode(segment);
        }
        catch (FormatException)
        {
            // Base64Url rejects a final quantum with non-zero padding bits; the token is malformed either way.
            return null;
        }
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsNumericDate(JsonElement element, out double seconds)
    {
        seconds = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out seconds) && double.IsFinite(seconds);
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

        return aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String)
            ? [.. aud.EnumerateArray().Select(a => a.GetString()!)]
            : null;
    }

    private static string Time(double seconds)
    {
        var clamped = Math.Clamp(seconds, 0, 253402300799);
        return DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(clamped)).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
    }

    private static string Ago(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Min(Math.Abs(seconds), TimeSpan.MaxValue.TotalSeconds / 2));
        var text = new StringBuilder();
        if (span.TotalDays >= 1)
        {
            text.Append((int)span.TotalDays).Append("d ");
        }

        text.Append(span.Hours).Append("h ").Append(span.Minutes).Append("m ").Append(span.Seconds).Append('s');
        return text.ToString();
    }
}
