using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>A JSON response that is never cached (RFC 6749 §5.1), optionally with a <c>WWW-Authenticate</c> challenge.</summary>
internal sealed class JsonBodyResult(JsonNode body, int statusCode = StatusCodes.Status200OK, string? challenge = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        if (challenge is not null)
        {
            response.Headers.WWWAuthenticate = challenge;
        }

        return response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
    }
}
