using System.Text.Json;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>The parts of an answer tests assert on.</summary>
internal sealed record Problem(int Status, string? Error, string? Reason, string? Challenge, string? ContentType, JsonElement? Body)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? body = null;
        string? error = null;
        string? reason = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
            error = body.Value.GetProperty("error").GetString();
            reason = body.Value.GetProperty("reason").GetString();
        }

        var challenge = response.Headers.WwwAuthenticate.Count > 0 ? string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString())) : null;
        return new Problem((int)response.StatusCode, error, reason, challenge, response.Content.Headers.ContentType?.MediaType, body);
    }
}
