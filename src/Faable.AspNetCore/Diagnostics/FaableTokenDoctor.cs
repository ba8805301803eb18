using System.Text;
using Faable.AspNetCore.Diagnostics.Internal;
using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Diagnostics;

/// <summary>
/// Explains, check by check, what the resource server makes of a token: header (<c>alg</c>, <c>kid</c>, <c>typ</c>,
/// <c>crit</c>), key and signature, <c>exp</c>/<c>nbf</c> with the skew, exact <c>iss</c>, <c>aud</c> (with the
/// ID-token and <c>/userinfo</c> hints), and the shapes of <c>scope</c> and <c>permissions</c>. It runs the resource
/// server's own validation checklist, continuing past the first failure, so its verdict is the server's. Works on
/// invalid tokens, including bytes that are not UTF-8; never throws for a token's content; never logs the token.
/// Registered by <c>AddFaableAuth</c>.
/// </summary>
public sealed class FaableTokenDoctor
{
    private readonly FaableAuthOptions _options;
    private readonly JwksKeyStore _keys;
    private readonly FaableTokenValidator _validator;

    internal FaableTokenDoctor(IOptions<FaableAuthOptions> options, JwksKeyStore keys, FaableTokenValidator validator)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _keys = keys;
        _validator = validator;
    }

    /// <summary>Explains a token against this application's configuration and its tenant's current keys.</summary>
    /// <param name="token">The access token (a leading <c>Bearer </c> is ignored).</param>
    /// <param name="cancellationToken">A token to cancel a key fetch.</param>
    /// <returns>The diagnosis; <see cref="FaableTokenDiagnosis.Reason"/> is exactly what the resource server answers.</returns>
    public async Task<FaableTokenDiagnosis> DiagnoseAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var report = new TokenReport();
        await _validator.ExamineAsync(TokenDiagnosisWriter.Normalize(token), report, cancellationToken).ConfigureAwait(false);
        return TokenDiagnosisWriter.Write(report, _validator.Checklist, _options, DescribeKey);
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
    /// <exception cref="ArgumentException"><see cref="FaableAuthOptions.Domain"/> is not a valid tenant.</exception>
    public static FaableTokenDiagnosis Diagnose(string token, FaableAuthOptions options, string jwksJson, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jwksJson);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!FaableTenant.TryParse(options.Domain, out var tenant, out var domainError))
        {
            throw new ArgumentException(domainError, nameof(options));
        }

        var skipped = new List<(string? Kid, string Why)>();
        var keys = ParseJwks(jwksJson, skipped);
        try
        {
            var checklist = new TokenChecklist(tenant!, options, timeProvider);
            var report = new TokenReport();
            var run = checklist.RunAsync(TokenDiagnosisWriter.Normalize(token), (jws, _) => ValueTask.FromResult(Find(jws.Kid!, keys)), report, CancellationToken.None);

            // The key lookup completes synchronously, so the whole run does.
            _ = run.IsCompletedSuccessfully ? run.Result : run.AsTask().GetAwaiter().GetResult();
            return TokenDiagnosisWriter.Write(report, checklist, options, (kid, lookup) => DescribeOffline(kid, lookup, keys, skipped));
        }
        finally
        {
            foreach (var key in keys?.Values ?? Enumerable.Empty<SigningKey>())
            {
                key.Rsa.Dispose();
            }
        }
    }

    private static Dictionary<string, SigningKey>? ParseJwks(string jwksJson, List<(string? Kid, string Why)> skipped)
    {
        try
        {
            return JwksParser.Parse(Encoding.UTF8.GetBytes(jwksJson), skipped);
        }
        catch (InvalidOperationException)
        {
            // A string member that is no string (an escaped lone surrogate): not a readable key set.
            return null;
        }
    }

    private static KeyLookup Find(string kid, Dictionary<string, SigningKey>? keys) =>
        keys is not null && keys.TryGetValue(kid, out var key)
            ? new KeyLookup(KeyLookupStatus.Found, key, default)
            : new KeyLookup(KeyLookupStatus.Unknown, null, default);

    private string DescribeKey(string kid, KeyLookup lookup)
    {
        var published = _keys.Current?.Keys.Keys.ToList() ?? [];
        return lookup.Status switch
        {
            KeyLookupStatus.Found => $"'{JsonClaims.Printable(kid)}' is published in the tenant's JWKS ({published.Count} usable key(s)).",
            KeyLookupStatus.Unavailable => "the tenant's keys cannot be fetched right now (the API answers 503, not 401).",
            _ => $"'{JsonClaims.Printable(kid)}' is not in the tenant's JWKS (published: {List(published)}): the token comes from another tenant or a retired key.",
        };
    }

    private static string DescribeOffline(string kid, KeyLookup lookup, Dictionary<string, SigningKey>? keys, List<(string? Kid, string Why)> skipped)
    {
        if (keys is null)
        {
            return "the JWKS document is not a JSON object with a keys array.";
        }

        if (lookup.Status == KeyLookupStatus.Found)
        {
            return $"'{JsonClaims.Printable(kid)}' is in the JWKS ({keys.Count} usable key(s)).";
        }

        var why = skipped.FirstOrDefault(s => s.Kid == kid).Why;
        return why is not null
            ? $"'{JsonClaims.Printable(kid)}' is in the JWKS but not usable for RS256: {why}."
            : $"'{JsonClaims.Printable(kid)}' is not in the JWKS (published: {List(keys.Keys)}).";
    }

    private static string List(IEnumerable<string> kids)
    {
        var list = kids.Select(k => $"'{JsonClaims.Printable(k)}'").ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
