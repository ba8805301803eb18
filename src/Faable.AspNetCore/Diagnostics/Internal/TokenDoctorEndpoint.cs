using System.Text;
using System.Text.Json;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>The Development-only token doctor endpoint.</summary>
internal static class TokenDoctorEndpoint
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task HandleAsync(HttpContext context)
    {
        var environment = context.RequestServices.GetService<IHostEnvironment>();
        var doctor = context.RequestServices.GetService<FaableTokenDoctor>();
        if (environment?.IsDevelopment() != true || doctor is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.Headers.CacheControl = "no-store";
        var token = await ReadTokenAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (token is null)
        {
            await AuthResponseWriter.WriteAsync(
                context,
                AuthErrors.NoTokenToExamine,
                "POST the access token as the body (text/plain or {\"token\":\"...\"}, at most 64 KB), or send it as Authorization: Bearer.").ConfigureAwait(false);
            return;
        }

        var diagnosis = await doctor.DiagnoseAsync(token, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", diagnosis.IsValid);
            if (diagnosis.Reason is null)
            {
                writer.WriteNull("reason");
            }
            else
            {
                writer.WriteString("reason", diagnosis.Reason);
            }

            writer.WriteStartArray("checks");
            foreach (var check in diagnosis.Checks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", check.Name);
                writer.WriteString("status", check.Status.ToString().ToLowerInvariant());
                writer.WriteString("explanation", check.Explanation);
                if (check.Reason is not null)
                {
                    writer.WriteString("reason", check.Reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("text", diagnosis.ToString());
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<string?> ReadTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return null;
            }

            body.Write(chunk, 0, read);
        }

        // Invalid UTF-8 in a text body becomes U+FFFD, which no token contains: the doctor then explains a malformed token.
        var text = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length).Trim();
        if (text.StartsWith('{'))
        {
            using var json = JsonClaims.TryParseObject(body.ToArray(), maxDepth: 4);
            if (json is null)
            {
                return null;
            }

            text = json.RootElement.TryGetProperty("token", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : string.Empty;
        }

        if (text.Length == 0)
        {
            var header = request.Headers.Authorization.ToString();
            text = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        }

        return text.Length == 0 ? null : text;
    }
}
