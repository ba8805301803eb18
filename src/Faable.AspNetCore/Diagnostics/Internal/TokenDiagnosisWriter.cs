using System.Globalization;
using System.Text;
using System.Text.Json;
using Faable.AspNetCore.Internal;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>
/// Writes a <see cref="TokenReport"/> as a diagnosis. It decides nothing: every pass and failure comes from
/// <see cref="TokenChecklist"/>; this class only explains them (what was expected, what the token holds, the likely fix)
/// and adds information lines that enforce nothing (<c>typ</c>, ignored key headers, the caller type, the granted scopes).
/// </summary>
internal static class TokenDiagnosisWriter
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>Accepts what a user pastes: surrounding white space and a leading <c>Bearer </c> are removed.</summary>
    public static string Normalize(string token)
    {
        var text = token.Trim();
        return text.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? text[BearerPrefix.Length..].Trim() : text;
    }

    public static FaableTokenDiagnosis Write(TokenReport report, TokenChecklist checklist, FaableAuthOptions options, Func<string, KeyLookup, string> describeKey)
    {
        var writer = new Writer(report, checklist, options, describeKey);
        foreach (var step in report.Steps)
        {
            writer.Explain(step);
        }

        if (report.Payload is { } payload)
        {
            writer.ExplainScopes(payload, ScopeClaims.Scope);
            writer.ExplainScopes(payload, ScopeClaims.Permissions);
        }

        return new FaableTokenDiagnosis(writer.Checks, report.Verdict.IsValid ? null : report.Verdict.Error!.Reason);
    }

    private sealed class Writer(TokenReport report, TokenChecklist checklist, FaableAuthOptions options, Func<string, KeyLookup, string> describeKey)
    {
        public List<FaableTokenCheck> Checks { get; } = [];

        private double Now => report.Now.ToUnixTimeMilliseconds() / 1000.0;

        private double Skew => checklist.ClockSkew.TotalSeconds;

        private string ExpectedAudiences => checklist.Audiences.Count == 0
            ? "(none configured: set Faable:Audience)"
            : string.Join(", ", checklist.Audiences.Select(a => $"'{a}'"));

        private string AudienceToRequest => checklist.Audiences.Count > 0 ? checklist.Audiences[0] : "<your API identifier>";

        public void Explain(TokenStepResult step)
        {
            switch (step.Step)
            {
                case TokenStep.Length:
                    Add("length", step, step.Error is null
                        ? $"{report.Length} characters (at most {checklist.MaxTokenLength})."
                        : $"{report.Length} characters, more than Faable:MaxTokenLength ({checklist.MaxTokenLength}); nothing more is read.");
                    break;
                case TokenStep.Structure:
                    Add("structure", step, step.Error is null ? "three base64url segments (a signed JWT)." : StructureProblem(step.Error));
                    break;
                case TokenStep.Algorithm:
                    Add("header.alg", step, step.Outcome switch
                    {
                        TokenStepOutcome.Passed => "RS256, the only algorithm Faable signs with.",
                        TokenStepOutcome.Skipped => "not checked: the header cannot be read.",
                        _ => $"{AlgorithmHint(report.Header?.Alg)}; only RS256 is accepted, decided before any key lookup (RFC 8725 §3.1).",
                    });
                    if (report.Header is { } header)
                    {
                        Add("header.typ", FaableTokenCheckStatus.Info, header.Typ is null ? "absent or not a string (not enforced)." : $"'{JsonClaims.Printable(header.Typ)}' (not enforced).");
                    }

                    break;
                case TokenStep.CriticalHeader:
                    Add("header.crit", step, step.Outcome switch
                    {
                        TokenStepOutcome.Passed => "absent.",
                        TokenStepOutcome.Skipped => "not checked: the header cannot be read.",
                        _ => "present: no critical extension is understood, so the token is rejected (RFC 7515 §4.1.11).",
                    });
                    break;
                case TokenStep.KeyId:
                    Add("header.kid", step, step.Outcome switch
                    {
                        TokenStepOutcome.Passed => $"'{JsonClaims.Printable(report.Header!.Kid)}'.",
                        TokenStepOutcome.Skipped => "not checked: the header cannot be read.",
                        _ => "missing, empty or not a string: the key must be named by kid; keys are never tried one by one.",
                    });
                    if (report.Header is { KeyMembersPresent.Count: > 0 } withKeys)
                    {
                        Add("header.keys", FaableTokenCheckStatus.Warning, $"{string.Join(", ", withKeys.KeyMembersPresent)} present and ignored: keys come only from the tenant's JWKS.");
                    }

                    break;
                case TokenStep.Key:
                    Add("key", step, step.Outcome == TokenStepOutcome.Skipped || report.KeyLookup is not { } lookup
                        ? "not looked up: the token's structure or header already failed, so no key is named reliably."
                        : describeKey(report.Header!.Kid!, lookup));
                    break;
                case TokenStep.Signature:
                    var kid = report.KeyLookup?.Key is { } key ? $"'{JsonClaims.Printable(key.Kid)}' ({key.ModulusBits}-bit RSA)" : null;
                    Add("signature", step, step.Outcome switch
                    {
                        TokenStepOutcome.Passed => $"RS256 signature verifies with key {kid}.",
                        TokenStepOutcome.Skipped => "not verified: no key to verify with.",
                        _ => $"RS256 signature does not verify with key {kid}: the token was altered, or signed by another tenant with a colliding kid.",
                    });
                    break;
                case TokenStep.Payload:
                    Add("payload", step.Error is not null ? FaableTokenCheckStatus.Failed : report.PayloadVerified ? FaableTokenCheckStatus.Passed : FaableTokenCheckStatus.Info, step.Error is not null
                        ? "the second segment does not decode to a UTF-8 JSON object without duplicate members; no claim can be read."
                        : report.PayloadVerified
                            ? "a JSON object without duplicate members."
                            : "a JSON object; the claims below are read from an UNVERIFIED payload, to explain them.", step.Error);
                    break;
                case TokenStep.Expiration:
                    ExplainExpiration(step);
                    break;
                case TokenStep.NotBefore:
                    ExplainNotBefore(step);
                    break;
                case TokenStep.IssuedAt:
                    ExplainIssuedAt(step);
                    break;
                case TokenStep.Issuer:
                    ExplainIssuer(step);
                    break;
                case TokenStep.Audience:
                    ExplainAudience(step);
                    break;
                case TokenStep.TokenKind:
                    ExplainTokenKind(step);
                    break;
            }
        }

        public void ExplainScopes(JsonElement payload, string name)
        {
            if (!payload.TryGetProperty(name, out var value))
            {
                Add(name, FaableTokenCheckStatus.Info, name == ScopeClaims.Permissions && options.TrustPermissionsOnly
                    ? "absent, and Faable:TrustPermissionsOnly is true: every scope requirement will fail with 403."
                    : "absent.");
                return;
            }

            // The granted values are read the way authorization reads them, from the claims the token becomes.
            var granted = ScopeClaims.Split(report.Claims, name, null);
            var listed = granted.Count == 0 ? "nothing" : string.Join(' ', granted.Select(v => JsonClaims.Printable(v)));
            var used = name == ScopeClaims.Scope && options.TrustPermissionsOnly ? " (ignored: Faable:TrustPermissionsOnly is true)" : string.Empty;
            var shape = value.ValueKind switch
            {
                JsonValueKind.String => "a space-separated string",
                JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => "a JSON array",
                _ => null,
            };
            if (shape is null)
            {
                Add(name, FaableTokenCheckStatus.Warning, $"{value.ValueKind} instead of a space-separated string or an array of strings; it grants {listed}{used}.");
                return;
            }

            var comma = granted.FirstOrDefault(v => v.Contains(',', StringComparison.Ordinal));
            Add(name, comma is null ? FaableTokenCheckStatus.Info : FaableTokenCheckStatus.Warning, comma is null
                ? $"{shape} granting {listed}{used}."
                : $"{shape} granting {listed}{used}; '{JsonClaims.Printable(comma)}' contains a comma: values are separated by spaces, so it is one (unusual) value.");
        }

        private void ExplainExpiration(TokenStepResult step)
        {
            if (step.Error == AuthErrors.MissingExpiration)
            {
                Add("exp", step, "missing: access tokens must expire.");
            }
            else if (report.Expiration is not { } exp)
            {
                Add("exp", step, $"{Kind("exp")} instead of a NumericDate (a finite JSON number of seconds).");
            }
            else if (step.Error is not null)
            {
                Add("exp", step, $"expired at {Time(exp)}, {Ago(Now - exp)} ago (clock skew allowed: {Skew:0} s). Get a new token.");
            }
            else
            {
                Add("exp", step, $"expires at {Time(exp)}, in {Ago(exp - Now)} (clock skew {Skew:0} s).");
            }
        }

        private void ExplainNotBefore(TokenStepResult step)
        {
            if (report.Payload?.TryGetProperty("nbf", out _) != true)
            {
                Add("nbf", FaableTokenCheckStatus.Info, "absent (optional).");
            }
            else if (report.NotBefore is not { } nbf)
            {
                Add("nbf", step, $"{Kind("nbf")} instead of a NumericDate.");
            }
            else
            {
                Add("nbf", step, step.Error is null
                    ? $"valid since {Time(nbf)}."
                    : $"not valid before {Time(nbf)}, {Ago(nbf - Now)} from now: check this machine's clock.");
            }
        }

        private void ExplainIssuedAt(TokenStepResult step)
        {
            if (step.Error is not null)
            {
                Add("iat", step, $"{Kind("iat")} instead of a NumericDate.");
            }
            else if (report.IssuedAt is { } iat)
            {
                // Shown, not enforced: the checklist only requires iat to be a NumericDate.
                Add("iat", iat > Now + Skew ? FaableTokenCheckStatus.Warning : FaableTokenCheckStatus.Info, iat > Now + Skew
                    ? $"issued in the future ({Time(iat)}): one of the clocks is wrong (not enforced)."
                    : $"issued at {Time(iat)}.");
            }
        }

        private void ExplainIssuer(TokenStepResult step)
        {
            var expected = checklist.Issuer;
            var iss = report.Issuer;
            if (step.Error is null)
            {
                Add("iss", step, $"'{expected}', exactly the tenant URL.");
                return;
            }

            var hint = iss is null ? "the token has no iss (or it is not a string)"
                : iss.TrimEnd('/') == expected ? "the token's issuer ends with '/' (configs ported from Auth0 add one); the tenant URL has no trailing slash"
                : string.Equals(iss, expected, StringComparison.OrdinalIgnoreCase) ? "the issuer differs only in letter case; the comparison is exact"
                : "the token comes from another tenant, or Faable:Domain points at the wrong one";
            Add("iss", step, $"expected '{expected}', got '{JsonClaims.Printable(iss)}': {hint}.");
        }

        private void ExplainAudience(TokenStepResult step)
        {
            var audiences = report.Audiences;
            var got = audiences is null ? "none" : string.Join(", ", audiences.Select(a => $"'{JsonClaims.Printable(a)}'"));
            if (step.Error is null)
            {
                Add("aud", step, $"{got} includes this API ({ExpectedAudiences}).");
            }
            else if (step.Error == AuthErrors.IdTokenSent)
            {
                Add("aud", step, $"expected {ExpectedAudiences}, got {got}: this is an ID token (its aud is the client id, or it carries {IdTokenClaimsText()}). Send the access token requested with audience={AudienceToRequest}.");
            }
            else if (step.Error == AuthErrors.UserInfoAudience)
            {
                Add("aud", step, $"expected {ExpectedAudiences}, got {got}: the token was requested without an audience, so it is only good for /userinfo. Request it with audience={AudienceToRequest}.");
            }
            else
            {
                var slash = audiences?.Any(a => checklist.Audiences.Any(e => e.TrimEnd('/') == a.TrimEnd('/'))) == true ? " The values differ only by a trailing '/': the comparison is exact." : string.Empty;
                var clientLike = audiences is { Count: 1 } && !audiences[0].Contains(':', StringComparison.Ordinal) &&
                    report.Payload is { } payload && !payload.TryGetProperty("scope", out _) && !payload.TryGetProperty("permissions", out _);
                var idHint = clientLike ? $" The aud looks like a client id and there is no scope: this may be an ID token; send the access token requested with audience={AudienceToRequest}." : string.Empty;
                Add("aud", step, $"expected {ExpectedAudiences}, got {got}.{slash}{idHint}");
            }
        }

        private void ExplainTokenKind(TokenStepResult step)
        {
            if (report.IdTokenClaims.Count > 0)
            {
                var text = $"ID-token claims present ({string.Join(", ", report.IdTokenClaims)}): an ID token is never an access token.";
                Add("token kind", step.Outcome == TokenStepOutcome.Skipped ? FaableTokenCheckStatus.Warning : Status(step), text, step.Error);
                return;
            }

            var sub = Str("sub");
            var machine = sub is not null && sub == Str("client_id");
            Add("token kind", FaableTokenCheckStatus.Info, machine ? "machine-to-machine access token (sub equals client_id)." : $"user access token (sub '{JsonClaims.Printable(sub)}').");
        }

        private string IdTokenClaimsText() => report.IdTokenClaims.Count == 0 ? "nonce, at_hash or c_hash" : string.Join(", ", report.IdTokenClaims);

        private string StructureProblem(AuthError error)
        {
            if (error == AuthErrors.EncryptedToken)
            {
                return "five segments: an encrypted token (JWE); Faable access tokens are signed JWTs with three segments.";
            }

            var segments = report.SegmentCount;
            return segments != 3
                ? $"{segments} segment(s); a signed JWT has exactly three (header.payload.signature). Copy the whole access token, without quotes."
                : report.Header is null
                    ? "the first segment is not the strict base64url (no padding '=', no '+' or '/', no white space) of a UTF-8 JSON object without duplicate members: no header can be read."
                    : "the payload or signature segment is not strict base64url (no padding '=', no '+' or '/', no white space).";
        }

        private static string AlgorithmHint(string? alg) => alg switch
        {
            null => "missing",
            "" => "not a string",
            "none" => "'none' (an unsigned token is never accepted)",
            "HS256" => "'HS256' (a symmetric algorithm; Faable access tokens are RS256)",
            _ => $"'{JsonClaims.Printable(alg)}'",
        };

        private string Kind(string claim) =>
            report.Payload?.TryGetProperty(claim, out var value) == true
                ? value.ValueKind == JsonValueKind.Number ? "a number out of range" : value.ValueKind.ToString()
                : "nothing";

        private string? Str(string name) =>
            report.Payload?.TryGetProperty(name, out var value) == true && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static FaableTokenCheckStatus Status(TokenStepResult step) => step.Outcome switch
        {
            TokenStepOutcome.Passed => FaableTokenCheckStatus.Passed,
            TokenStepOutcome.Failed => FaableTokenCheckStatus.Failed,
            _ => FaableTokenCheckStatus.Skipped,
        };

        private void Add(string name, TokenStepResult step, string explanation) => Add(name, Status(step), explanation, step.Error);

        private void Add(string name, FaableTokenCheckStatus status, string explanation, AuthError? error = null) =>
            Checks.Add(new FaableTokenCheck(name, status, explanation, status == FaableTokenCheckStatus.Failed ? error?.Reason : null));
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
            text.Append(((long)span.TotalDays).ToString(CultureInfo.InvariantCulture)).Append("d ");
        }

        text.Append(span.Hours).Append("h ").Append(span.Minutes).Append("m ").Append(span.Seconds).Append('s');
        return text.ToString();
    }
}
