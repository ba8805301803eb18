using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Faable.AspNetCore.Internal;

/// <summary>JwtBearer event handlers: token extraction and the 401/503/403 answers.</summary>
internal sealed class FaableBearerEvents
{
    private const string BearerPrefix = "Bearer ";
    private readonly bool _includeDetails;

    public FaableBearerEvents(IOptions<FaableAuthOptions> options, IHostEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
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
    internal static Task MessageReceived(MessageReceivedContext context)
    {
        var values = context.Request.Headers.Authorization;
        if (values.Count == 0)
        {
            context.NoResult();
            return Task.CompletedTask;
        }

        if (values.Count > 1)
        {
            context.Fail(new FaableTokenRejectedException(AuthErrors.MultipleCredentials));
            return Task.CompletedTask;
        }

        var value = values[0] ?? string.Empty;
        if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (value.Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                context.Fail(new FaableTokenRejectedException(AuthErrors.Malformed));
                return Task.CompletedTask;
            }

            context.NoResult();
            return Task.CompletedTask;
        }

        var token = value.AsSpan(BearerPrefix.Length).Trim(' ');
        if (token.IsEmpty)
        {
            context.Fail(new FaableTokenRejectedException(AuthErrors.Malformed));
            return Task.CompletedTask;
        }

        context.Token = token.Length == value.Length - BearerPrefix.Length ? value[BearerPrefix.Length..] : token.ToString();
        return Task.CompletedTask;
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

    private static Task Forbidden(ForbiddenContext context)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return AuthResponseWriter.WriteAsync(context.HttpContext, AuthErrors.Forbidden, null);
    }
}
