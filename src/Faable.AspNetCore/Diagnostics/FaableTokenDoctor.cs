using System.Text;
using Faable.AspNetCore.Diagnostics.Internal;
using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Diagnostics;

/// <summary>
/// Explains, check by check, what the resource server makes of a token: header (<c>alg</c>, <c>kid</c>, <c>typ</c>,
/// <c>crit</c>), key and signature, <c>exp</c>/<c>nbf</c> with the skew, exact <c>iss</c>, <c>aud</c> (with the
/// ID-token and <c>/userinfo</c> hints), and the shapes of <c>scope</c> and <c>permissions</c>. Works on invalid
/// tokens; never logs the token. Registered by <c>AddFaableAuth</c>.
/// </summary>
public sealed class FaableTokenDoctor
{
    private readonly FaableAuthOptions _options;
    private readonly JwksKeyStore _keys;
    private readonly FaableTokenValidator _validator;
    private readonly TimeProvider _time;

    internal FaableTokenDoctor(IOptions<FaableAuthOptions> options, JwksKeyStore keys, FaableTokenValidator validator, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _keys = keys;
        _validator = validator;
        _time = time;
    }

    /// <summary>Explains a token against this application's configuration and its tenant's current keys.</summary>
    /// <param name="token">The access token (a leading <c>Bearer </c> is ignored).</param>
    /// <param name="cancellationToken">A token to cancel a key fetch.</param>
    /// <returns>The diagnosis; <see cref="FaableTokenDiagnosis.Reason"/> is exactly what the resource server answers.</returns>
    public async Task<FaableTokenDiagnosis> DiagnoseAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var trimmed = token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token[7..].Trim() : token.Trim();

        // The key store decides an unknown kid by the token's iat, as it does for the validator.
        var jws = trimmed.Length > _options.MaxTokenLength ? null : CompactJws.TryParse(trimmed, out _);
        var diagnosis = await TokenExamination.RunAsync(token, _options, _time.GetUtcNow(), (kid, ct) => FindAsync(kid, jws, ct), cancellationToken).ConfigureAwait(false);

        // The verdict is the validator's own, so the explanation can never disagree with the answer clients get.
        var verdict = trimmed.Length > _options.MaxTokenLength
            ? TokenCheck.Reject(AuthErrors.TokenTooLarge)
            : await _validator.ValidateUncachedAsync(trimmed, cancellationToken).ConfigureAwait(false);
        return new FaableTokenDiagnosis(diagnosis.Checks, verdict.IsValid ? null : verdict.Error!.Reason);
    }

    /// <summary>
    /// Explains a token against the given settings and a JWKS document, without fetching anything (for tools and
    /// offline use). <see cref="FaableAuthOptions.Domain"/> and the audiences are read from <paramref name="options"/>.
    /// </summary>
    /// <param name="token">The access token.</param>
    /// <param name="options">The settings the token is checked against.</param>
    /// <param name="jwksJson">The tenant's JWKS document.</param>
    /// <param name="timeProvider">The clock for <c>exp</c> and <c>nbf</c>.</param>
    /// <returns>The diagnosis.</returns>
    public static FaableTokenDiagnosis Diagnose(string token, FaableAuthOptions options, string jwksJson, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jwksJson);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var skipped = new List<(string? Kid, string Why)>();
        var keys = JwksParser.Parse(Encoding.UTF8.GetBytes(jwksJson), skipped);
        try
        {
            var task = TokenExamination.RunAsync(
                token,
                options,
                timeProvider.GetUtcNow(),
                (kid, _) => ValueTask.FromResult(Describe(kid, keys, skipped)),
                CancellationToken.None);

            // The lookup is synchronous, so the examination completes synchronously.
            return task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var key in keys?.Values ?? Enumerable.Empty<SigningKey>())
            {
                key.Rsa.Dispose();
            }
        }
    }

    private async ValueTask<TokenKeyLookup> FindAsync(string kid, CompactJws? token, CancellationToken cancellationToken)
    {
        var lookup = await _keys.FindAsync(kid, token, cancellationToken).ConfigureAwait(false);
        var published = _keys.Current?.Keys.Keys.ToList() ?? [];
        return lookup.Status switch
        {
            KeyLookupStatus.Found => new TokenKeyLookup(lookup.Key, $"'{kid}' is published in the tenant's JWKS ({published.Count} usable key(s)).", null),
            KeyLookupStatus.Unavailable => new TokenKeyLookup(null, "the tenant's keys cannot be fetched right now (the API answers 503, not 401).", AuthErrors.KeysUnavailable.Reason),
            _ => new TokenKeyLookup(null, $"'{JsonClaims.Printable(kid)}' is not in the tenant's JWKS (published: {List(published)}): the token comes from another tenant or a retired key.", AuthErrors.UnknownKey.Reason),
        };
    }

    private static TokenKeyLookup Describe(string kid, Dictionary<string, SigningKey>? keys, List<(string? Kid, string Why)> skipped)
    {
        if (keys is null)
        {
            return new TokenKeyLookup(null, "the JWKS document is not a JSON object with a keys array.", AuthErrors.UnknownKey.Reason);
        }

        if (keys.TryGetValue(kid, out var key))
        {
            return new TokenKeyLookup(key, $"'{kid}' is in the JWKS ({keys.Count} usable key(s)).", null);
        }

        var why = skipped.FirstOrDefault(s => s.Kid == kid).Why;
        return why is not null
            ? new TokenKeyLookup(null, $"'{JsonClaims.Printable(kid)}' is in the JWKS but not usable for RS256: {why}.", AuthErrors.UnknownKey.Reason)
            : new TokenKeyLookup(null, $"'{JsonClaims.Printable(kid)}' is not in the JWKS (published: {List(keys.Keys)}).", AuthErrors.UnknownKey.Reason);
    }

    private static string List(IEnumerable<string> kids)
    {
        var list = kids.Select(k => $"'{JsonClaims.Printable(k)}'").ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
