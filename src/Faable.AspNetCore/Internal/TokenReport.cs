using System.Text.Json;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// A full record of one <see cref="TokenChecklist"/> run: every step (the run continues past failures when it has a
/// report) and what the steps read, so that a diagnosis can be written without deciding anything again.
/// </summary>
internal sealed class TokenReport
{
    private readonly List<TokenStepResult> _steps = [];

    public IReadOnlyList<TokenStepResult> Steps => _steps;

    /// <summary>Gets the token's length in characters.</summary>
    public int Length { get; internal set; }

    /// <summary>Gets the number of dot-separated segments.</summary>
    public int SegmentCount { get; internal set; }

    /// <summary>Gets the clock reading the time claims were compared with.</summary>
    public DateTimeOffset Now { get; internal set; }

    public JwsHeader? Header { get; internal set; }

    public KeyLookup? KeyLookup { get; internal set; }

    /// <summary>Gets the claims set (a copy), read even when its signature did not verify.</summary>
    public JsonElement? Payload { get; internal set; }

    /// <summary>Gets a value indicating whether <see cref="Payload"/> is covered by a verified signature.</summary>
    public bool PayloadVerified { get; internal set; }

    public double? Expiration { get; internal set; }

    public double? NotBefore { get; internal set; }

    public double? IssuedAt { get; internal set; }

    public string? Issuer { get; internal set; }

    /// <summary>Gets the <c>aud</c> values, or <see langword="null"/> when absent or not a string or array of strings.</summary>
    public IReadOnlyList<string>? Audiences { get; internal set; }

    /// <summary>Gets the ID-token claims present (<c>nonce</c>, <c>at_hash</c>, <c>c_hash</c>).</summary>
    public IReadOnlyList<string> IdTokenClaims { get; internal set; } = [];

    /// <summary>Gets the claims exactly as the resource server would hold them (arrays as repeated claims).</summary>
    public IReadOnlyList<ClaimData> Claims { get; internal set; } = [];

    public TokenCheck Verdict { get; internal set; }

    internal void Add(TokenStepResult result) => _steps.Add(result);
}
