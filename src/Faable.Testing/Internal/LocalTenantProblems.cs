using Microsoft.AspNetCore.Http;

namespace Faable.Testing.Internal;

/// <summary>Every problem answer of the local tenant's own endpoints, defined once.</summary>
internal static class LocalTenantProblems
{
    /// <summary><c>POST /dev/webhooks/send</c> with a body above the limit.</summary>
    public static LocalTenantProblem SendBodyTooLarge { get; } = new(
        StatusCodes.Status413PayloadTooLarge, "invalid_request", "send_body_too_large", "The body of the webhook send request is too large.");

    /// <summary><c>POST /dev/webhooks/send</c> with a body that is not a send request.</summary>
    public static LocalTenantProblem SendRequestInvalid { get; } = new(
        StatusCodes.Status400BadRequest, "invalid_request", "send_request_invalid", "The body is not a webhook send request: {\"type\":\"...\",\"payload\":{...}} or {\"type\":\"...\",\"user_id\":\"...\"}.");

    /// <summary><c>POST /dev/webhooks/send</c> naming a user the tenant does not know.</summary>
    public static LocalTenantProblem SendUnknownUser { get; } = new(
        StatusCodes.Status400BadRequest, "invalid_request", "send_unknown_user", "No user of the local tenant has the given user_id.");

    /// <summary>Gets every problem the local tenant's own endpoints can answer.</summary>
    public static IReadOnlyList<LocalTenantProblem> All { get; } = [SendBodyTooLarge, SendRequestInvalid, SendUnknownUser];
}
