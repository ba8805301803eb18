using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>
/// JwtBearer event handlers: token extraction and validation, and the 401/503/403 answers. Validation runs here,
/// raising JwtBearer's own <c>TokenValidated</c> and <c>AuthenticationFailed</c> events, so a repeated token skips
/// JwtBearer's per-request parameter set-up; if an application replaces <c>OnMessageReceived</c>, JwtBearer reads
/// the header itself and validates through <see cref="FaableTokenHandler"/> with the same rules.
/// </summary>
internal sealed class FaableBearerEvents
{
    private const string BearerPrefix = "Bearer ";

    // JwtBearerEvents' own do-nothing handler (a cached lambda, one instance for every JwtBearerEvents).
    private static readonly Func<TokenValidatedContext, Task> s_noTokenValidatedHandler = new JwtBearerEvents().OnTokenValidated;
    private readonly bool _includeDetails;
    private readonly FaableTokenValidator _validator;
    private readonly FaableForbiddenAnswer? _forbidden;

    public FaableBearerEvents(IOptions<FaableAuthOptions> options, FaableTokenValidator validator, IHostEnvironment? environment = null, FaableForbiddenAnswer? forbidden = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _validator = validator;
        _forbidden = forbidden;
        _includeDetails = options.Value.IncludeErrorDetails ?? environment?.IsDevelopment() == true;
    }

    public void Attach(JwtBearerEvents events)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.OnMessageReceived = MessageReceived;
        events.OnChallenge = Challenge;
        events.OnForbidden = Forbidden;
    }

    /// <summary>
    /// Reads the token from the Authorization header only (RFC 6750 §2.1; the query string is ignored).
    /// The scheme name is case-insensitive (RFC 9110 §11.1); two Authorization headers are refused.
    /// </summary>
    internal Task MessageReceived(MessageReceivedContext context)
    {
        if (!TryExtractToken(context, out var token))
        {
            return Task.CompletedTask;
        }

        // A remembered token, with nobody listening to TokenValidated, is answered at once: no state machine, and the
        // request's abort token (which only a key fetch needs) is not asked for.
        if (NobodyListens(context.Options.Events) && _validator.TryValidateRemembered(token.Span, out var check))
        {
            Succeed(context, check.Token!, token);
            return Task.CompletedTask;
        }

        return ValidateAsync(context, token);
    }

    // The token is a slice of the header's text: a repeated token is looked up without being copied.
    private static bool TryExtractToken(MessageReceivedContext context, out ReadOnlyMemory<char> token)
    {
        token = default;
        var values = context.Request.Headers.Authorization;
        if (values.Count == 0)
        {
            context.NoResult();
            return false;
        }

        if (values.Count > 1)
        {
            context.Fail(new FaableTokenRejectedException(AuthErrors.MultipleCredentials));
            return false;
        }

        var value = values[0] ?? string.Empty;
        if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (value.Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                context.Fail(new FaableTokenRejectedException(AuthErrors.Malformed));
                return false;
            }

            context.NoResult();
            return false;
        }

        token = value.AsMemory(BearerPrefix.Length).Trim(' ');
        if (token.IsEmpty)
        {
            context.Fail(new FaableTokenRejectedException(AuthErrors.Malformed));
            return false;
        }

        return true;
    }

    private async Task ValidateAsync(MessageReceivedContext context, ReadOnlyMemory<char> token)
    {
        TokenCheck check;
        try
        {
            check = await _validator.ValidateAsync(token, context.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away while keys were being fetched: nobody reads this answer.
            context.NoResult();
            return;
        }
#pragma warning disable CA1031 // Whatever goes wrong with a token is a 401, never a 500.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            check = TokenCheck.Reject(AuthErrors.Rejected);
        }

        if (!check.IsValid)
        {
            var failed = new AuthenticationFailedContext(context.HttpContext, context.Scheme, context.Options)
            {
                Exception = new FaableTokenRejectedException(check.Error!, check.Detail, check.RetryAfter),
            };
            await context.Options.Events.AuthenticationFailed(failed).ConfigureAwait(false);
            Adopt(context, failed.Result ?? AuthenticateResult.Fail(failed.Exception));
            return;
        }

        if (NobodyListens(context.Options.Events))
        {
            Succeed(context, check.Token!, token);
            return;
        }

        var validated = new TokenValidatedContext(context.HttpContext, context.Scheme, context.Options)
        {
            Principal = new ClaimsPrincipal(check.Token!.CreateIdentity()),
            SecurityToken = new FaableAccessToken(check.Token),
        };
        validated.Properties.ExpiresUtc = check.Token.Expires;
        SaveToken(context.Options, validated.Properties, token);
        await context.Options.Events.TokenValidated(validated).ConfigureAwait(false);
        if (validated.Result is null)
        {
            validated.Success();
        }

        Adopt(context, validated.Result!);
    }

    private static bool NobodyListens(JwtBearerEvents events) =>
        events.GetType() == typeof(JwtBearerEvents) && ReferenceEquals(events.OnTokenValidated, s_noTokenValidatedHandler);

    // Nobody listens to TokenValidated: skip its context, its security token and a second ticket.
    private static void Succeed(MessageReceivedContext context, ValidatedToken token, ReadOnlyMemory<char> text)
    {
        context.Principal = new ClaimsPrincipal(token.CreateIdentity());
        context.Properties = ExpiryItems.Properties(token.ExpiresText);
        SaveToken(context.Options, context.Properties, text);
        context.Success();
    }

    // JwtBearer's SaveToken, honoured as JwtBearer does it: the token is readable with HttpContext.GetTokenAsync("access_token").
    private static void SaveToken(JwtBearerOptions options, AuthenticationProperties properties, ReadOnlyMemory<char> token)
    {
        if (options.SaveToken)
        {
            properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = token.ToString() }]);
        }
    }

    private static void Adopt(MessageReceivedContext context, AuthenticateResult result)
    {
        if (result.Succeeded)
        {
            context.Principal = result.Principal;
            context.Properties = result.Properties;
            context.Success();
        }
        else if (result.Failure is not null)
        {
            context.Fail(result.Failure);
        }
        else
        {
            context.NoResult();
        }
    }

    private Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var (error, detail, retryAfter) = context.AuthenticateFailure switch
        {
            null => (AuthErrors.MissingToken, null, null),
            FaableTokenRejectedException rejected => (rejected.Error, rejected.Detail, rejected.RetryAfter),
            AggregateException aggregate when aggregate.InnerExceptions.OfType<FaableTokenRejectedException>().FirstOrDefault() is { } first
                => (first.Error, first.Detail, first.RetryAfter),
            _ => (AuthErrors.Rejected, null, (TimeSpan?)null),
        };

        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return AuthResponseWriter.WriteAsync(context.HttpContext, error, _includeDetails ? detail : null, retryAfter);
    }

    private Task Forbidden(ForbiddenContext context)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return _forbidden is null
            ? AuthResponseWriter.WriteAsync(context.HttpContext, AuthErrors.Forbidden, null)
            : _forbidden.WriteAsync(context.HttpContext);
    }
}
