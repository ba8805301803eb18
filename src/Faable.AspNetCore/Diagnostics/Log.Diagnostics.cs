using Microsoft.Extensions.Logging;

// Part of the package's single Log class; event ids 1100-1199 belong to diagnostics.
namespace Faable.AspNetCore.Internal;

/// <summary>Log events of the diagnostics: the endpoint authorization report.</summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Endpoint authorization ({EndpointCount} endpoints):\n{Table}")]
    public static partial void EndpointReport(ILogger logger, int endpointCount, string table);

    [LoggerMessage(1101, LogLevel.Warning, "Endpoint {Methods} {Route} has no authorization requirement: anyone can call it. Add RequireScope(...), [Authorize] or [AllowAnonymous] to say so.")]
    public static partial void UnprotectedEndpoint(ILogger logger, string methods, string route);
}
