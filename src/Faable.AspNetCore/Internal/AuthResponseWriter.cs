using System.Globalization;
using System.Text;
using System.Text.Json;
using Faable.Shared;
using Microsoft.AspNetCore.Http;

namespace Faable.AspNetCore.Internal;

/// <summary>Writes an <see cref="AuthError"/> as RFC 6750 <c>WWW-Authenticate</c> and the Faable problem body (<see cref="FaableProblem"/>).</summary>
internal static class AuthResponseWriter
{
    public static string BuildChallenge(AuthError error, IReadOnlyCollection<string>? requiredScopes)
    {
        // RFC 6750 §3.1: without credentials the challenge carries no error code.
        if (ReferenceEquals(error, AuthErrors.MissingToken))
        {
            return "Bearer";
        }

        if (error.Status == 503)
        {
            return "Bearer";
        }

        var builder = new StringBuilder("Bearer error=\"").Append(error.Error).Append("\", error_description=\"").Append(error.Description).Append('"');
        if (requiredScopes is { Count: > 0 })
        {
            // RFC 6750 §3: scope is a space-delimited list of scope tokens (%x21 / %x23-5B / %x5D-7E).
            builder.Append(", scope=\"").Append(string.Join(' ', requiredScopes.Select(ScopeToken))).Append('"');
        }

        return builder.ToString();
    }

    public static Task WriteAsync(
        HttpContext context,
        AuthError error,
        string? detail,
        TimeSpan? retryAfter = null,
        IReadOnlyCollection<string>? required = null,
        IReadOnlyCollection<string>? granted = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (error.Status is 401 or 403)
        {
            response.Headers.WWWAuthenticate = ProtectedResource.Internal.ProtectedResourceChallenge.Append(context, error, BuildChallenge(error, required));
        }

        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, delay.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
        }

        // The RFC 6750 error_description stays in the challenge; in the body the same text is the problem's title.
        Action<Utf8JsonWriter>? extensions = required is null && granted is null ? null : writer =>
        {
            if (required is not null)
            {
                WriteArray(writer, "required", required);
            }

            if (granted is not null)
            {
                WriteArray(writer, "granted", granted);
            }
        };
        return FaableProblem.WriteAsync(context, error.Status, error.Error, error.Reason, error.Description, detail, extensions);
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string ScopeToken(string scope)
    {
        var chars = scope.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is < '!' or > '~' or '"' or '\\')
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
