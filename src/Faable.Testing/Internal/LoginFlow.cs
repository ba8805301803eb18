using System.Text.Json.Nodes;
using Faable.Actions.Events;
using Faable.Actions.Flow;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Faable.Testing.Internal;

/// <summary>
/// What happens once the user is identified: the post-login actions, then the code to the callback, a denial page or
/// a pause at a <c>sendUserTo</c> target; and <c>/continue</c>, which resumes a paused login.
/// </summary>
internal sealed class LoginFlow(FaableLocalTenant tenant)
{
    /// <summary>Profile fields <c>/continue</c> accepts from the application, e.g. the email collected by a profile page.</summary>
    public static readonly string[] ContinueFields = ["email", "name"];

    public async Task<IResult> StartAsync(HttpContext context, AuthorizationRequest request, FaableLocalUser user, string connection, bool created)
    {
        if (created)
        {
            await tenant.Webhooks.SendAsync("user.created", WebhookSender.UserPayload(user), context.RequestAborted).ConfigureAwait(false);
        }

        var client = tenant.FindClient(request.ClientId)!;
        var loginEvent = new LoginEvent
        {
            User = ToLoginUser(user),
            Client = new LoginClient(client.ClientId, client.Name.Length > 0 ? client.Name : client.ClientId),
            Connection = new LoginConnection(connection, connection),
            Request = RequestOf(context),
            Stats = new LoginStats { IsNewUser = created },
        };
        var outcome = await tenant.ActionsEngine!.RunPostLoginAsync(loginEvent, new FlowContext(client.ClientId, request.SessionId), context.RequestAborted).ConfigureAwait(false);
        return await HandleAsync(context, outcome, request, user.UserId, connection, created).ConfigureAwait(false);
    }

    public async Task<IResult> ContinueAsync(HttpContext context)
    {
        var values = await ReadValuesAsync(context).ConfigureAwait(false);
        if (!values.TryGetValue("state", out var states) || states.Count != 1 || string.IsNullOrEmpty(states[0]))
        {
            return HtmlPages.Error("Invalid continue request", "/continue needs exactly one 'state' parameter.");
        }

        var state = states[0]!;
        var paused = tenant.PausedLogins.Peek(state);
        if (paused is null)
        {
            return HtmlPages.Error("Sign-in cannot continue", "This continue link is unknown, already used or expired. Start again from the application.");
        }

        var stored = tenant.UserStore.Find(paused.UserId);
        if (stored is null)
        {
            return HtmlPages.Error("Sign-in cannot continue", "The user of this sign-in no longer exists.");
        }

        var updated = LocalUserStore.Copy(stored);
        var changed = false;
        foreach (var field in ContinueFields)
        {
            if (values.TryGetValue(field, out var given) && given.Count == 1 && given[0]?.Trim() is { Length: > 0 } value)
            {
                changed |= Apply(updated, field, value);
            }
        }

        var session = BrowserSession.Read(context) ?? "none";
        var outcome = await tenant.ActionsEngine!.ContinueAsync(state, ToLoginUser(updated), new FlowContext(paused.Request.ClientId, session), context.RequestAborted).ConfigureAwait(false);
        if (outcome.IsRejected)
        {
            // These rejections burn the engine's state: drop the paused login with it. Others (another browser,
            // client or user) leave both, so the legitimate browser can still continue.
            if (outcome.Rejection is ResumeStateRejection.Expired or ResumeStateRejection.ActionsChanged or ResumeStateRejection.UnknownOrUsed)
            {
                tenant.PausedLogins.TryTake(state);
            }

            return HtmlPages.Error("Sign-in cannot continue", $"The continue link was refused ({outcome.Rejection}). Start again from the application.");
        }

        // The engine consumed the state before running any action, so whatever follows (even a failed action) leaves
        // nothing to retry with this link.
        tenant.PausedLogins.TryTake(state);
        if (changed)
        {
            var saved = tenant.UserStore.Update(paused.UserId, u => CopyFields(updated, u));
            if (saved is not null)
            {
                await tenant.Webhooks.SendAsync("user.updated", WebhookSender.UserPayload(saved), context.RequestAborted).ConfigureAwait(false);
            }
        }

        return await HandleAsync(context, outcome, paused.Request, paused.UserId, paused.Connection, paused.Signup).ConfigureAwait(false);
    }

    private async Task<IResult> HandleAsync(HttpContext context, ActionFlowOutcome outcome, AuthorizationRequest request, string userId, string connection, bool signup)
    {
        foreach (var entry in outcome.Trace)
        {
            foreach (var line in entry.Console)
            {
                Log.ActionLog(tenant.Logger, entry.ActionName, line.Text);
            }
        }

        switch (outcome.Result)
        {
            case ActionFlowResult.Allowed:
                var user = tenant.UserStore.Find(userId);
                if (user is null)
                {
                    tenant.Metrics.Login("failed", connection, "user_not_found");
                    return HtmlPages.Error("Sign-in failed", "The user no longer exists.");
                }

                Log.LoginCompleted(tenant.Logger, userId, request.ClientId, connection, signup || outcome.IsSignup);
                tenant.Metrics.Login("allowed", connection);
                await tenant.Webhooks.SendAsync("auth.login", WebhookSender.UserPayload(user), context.RequestAborted).ConfigureAwait(false);
                return AuthorizeEndpoint.RedirectWithCode(tenant, request, userId, signup || outcome.IsSignup);
            case ActionFlowResult.Denied:
                Log.LoginDenied(tenant.Logger, userId, outcome.Denial!.Reason);
                tenant.Metrics.Login("denied", connection);
                return HtmlPages.Denied(outcome.Denial.Reason);
            case ActionFlowResult.Redirected:
                var redirect = outcome.Redirect!;
                tenant.PausedLogins.Add(redirect.State, new PausedLogin(request, userId, connection, signup), tenant.Options.LoginLifetime);
                Log.LoginRedirected(tenant.Logger, userId, redirect.RequestedUrl);
                tenant.Metrics.Login("redirected", connection);
                return Results.Redirect(redirect.Url);
            default:
                // Failed, or any result this flow does not know: fail closed, no code.
                return Failed(outcome, request, userId, connection);
        }
    }

    /// <summary>
    /// A failed action (thrown error, timeout, sandbox limit) ends the sign-in the OAuth way (RFC 6749 §4.1.2.1): a
    /// redirect to the client's <c>redirect_uri</c> with <c>error=server_error</c>, a short description naming the
    /// action and the client's <c>state</c>; no code, no <c>auth.login</c> webhook. The error's full detail goes to
    /// the tenant log only. If the redirect URI is no longer one of the client's callback URLs (the client was
    /// reconfigured during the sign-in), the browser is not sent there: it gets a 502 page instead, since the request
    /// was valid and the failure is the tenant's (its action), not the browser's.
    /// </summary>
    private IResult Failed(ActionFlowOutcome outcome, AuthorizationRequest request, string userId, string connection)
    {
        var error = outcome.Error;
        var errorType = error?.GetType().Name ?? outcome.Result.ToString();
        Log.LoginFailed(tenant.Logger, userId, request.ClientId, error?.ActionName ?? "unknown", errorType, error);
        tenant.Metrics.Login("failed", connection, errorType);
        var description = ActionFailure.Describe(error);

        // redirect_uri matched the client's callback URLs exactly at /authorize; match again before redirecting to it.
        if (!AuthorizeEndpoint.IsCallbackOf(tenant.FindClient(request.ClientId), request.RedirectUri))
        {
            Log.FailureNotRedirected(tenant.Logger, request.ClientId);
            return HtmlPages.Error("Sign-in failed", description, StatusCodes.Status502BadGateway);
        }

        return AuthorizeEndpoint.RedirectToClient(request.RedirectUri, OAuthError.ServerError, description, request.State);
    }

    private static async Task<Dictionary<string, StringValues>> ReadValuesAsync(HttpContext context)
    {
        var values = context.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (key, value) in form)
            {
                values[key] = values.TryGetValue(key, out var existing) ? StringValues.Concat(existing, value) : value;
            }
        }

        return values;
    }

    private static bool Apply(FaableLocalUser user, string field, string value)
    {
        switch (field)
        {
            case "email" when !string.Equals(user.Email, value, StringComparison.Ordinal):
                user.Email = value;
                user.EmailVerified = false;
                return true;
            case "name" when !string.Equals(user.Name, value, StringComparison.Ordinal):
                user.Name = value;
                return true;
            default:
                return false;
        }
    }

    private static void CopyFields(FaableLocalUser from, FaableLocalUser to)
    {
        to.Email = from.Email;
        to.EmailVerified = from.EmailVerified;
        to.Name = from.Name;
    }

    private static LoginUser ToLoginUser(FaableLocalUser user)
    {
        var app = new JsonObject();
        foreach (var (k, v) in user.AppMetadata)
        {
            app[k] = v;
        }

        var meta = new JsonObject();
        foreach (var (k, v) in user.UserMetadata)
        {
            meta[k] = v;
        }

        return new LoginUser
        {
            UserId = user.UserId,
            Email = user.Email,
            EmailVerified = user.EmailVerified,
            Name = user.Name,
            AppMetadata = app,
            UserMetadata = meta,
        };
    }

    private static LoginRequest RequestOf(HttpContext context)
    {
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var device = userAgent.Length == 0 ? "unknown"
            : userAgent.Contains("bot", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("curl", StringComparison.OrdinalIgnoreCase) ? "bot"
            : userAgent.Contains("Mobi", StringComparison.Ordinal) ? "mobile"
            : "desktop";
        return new LoginRequest
        {
            Ip = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            UserAgent = userAgent,
            Language = context.Request.Headers.AcceptLanguage.ToString(),
            Device = device,
        };
    }
}
