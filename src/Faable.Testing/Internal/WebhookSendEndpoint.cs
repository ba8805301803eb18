using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>
/// <c>POST /dev/webhooks/send</c>: sends an event on demand. Body: <c>{"type":"user.created","payload":{…}}</c>, or
/// <c>{"type":"user.updated","user_id":"user_…"}</c> to send a known user's current profile.
/// </summary>
internal static class WebhookSendEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, FaableLocalTenant tenant)
    {
        JsonNode? body;
        try
        {
            if (context.Request.ContentLength > RequestParameters.MaxBodyBytes)
            {
                return LocalTenantProblems.SendBodyTooLarge.ToResult($"The body exceeds {RequestParameters.MaxBodyBytes} bytes.");
            }

            // Content-Length is checked first to refuse early; the bounded read holds a chunked body to the same limit.
            var bytes = await RequestParameters.ReadLimitedAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            if (bytes is null)
            {
                return LocalTenantProblems.SendBodyTooLarge.ToResult($"The body exceeds {RequestParameters.MaxBodyBytes} bytes.");
            }

            body = JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            return LocalTenantProblems.SendRequestInvalid.ToResult("The body is not JSON.");
        }

        if (body is not JsonObject request || request["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type) || string.IsNullOrWhiteSpace(type))
        {
            return LocalTenantProblems.SendRequestInvalid.ToResult("'type' (a string such as 'user.created') is required.");
        }

        JsonNode payload;
        if (request["payload"] is JsonObject given)
        {
            payload = given.DeepClone();
        }
        else if (request["user_id"] is JsonValue idValue && idValue.TryGetValue<string>(out var userId))
        {
            var user = tenant.UserStore.Find(userId);
            if (user is null)
            {
                return LocalTenantProblems.SendUnknownUser.ToResult($"No user has the id '{userId}'.");
            }

            payload = WebhookSender.UserPayload(user);
        }
        else
        {
            return LocalTenantProblems.SendRequestInvalid.ToResult("Give either 'payload' (an object) or 'user_id'.");
        }

        var deliveries = await tenant.Webhooks.SendAsync(type, payload, context.RequestAborted).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var d in deliveries)
        {
            list.Add(new JsonObject
            {
                ["delivery_id"] = d.DeliveryId,
                ["url"] = d.Url,
                ["status"] = d.StatusCode,
                ["error"] = d.Error,
            });
        }

        return new JsonBodyResult(new JsonObject { ["type"] = type, ["deliveries"] = list });
    }
}
