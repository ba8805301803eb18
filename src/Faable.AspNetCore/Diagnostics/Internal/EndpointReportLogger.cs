using Faable.AspNetCore.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>Logs the endpoint authorization report once the application has started, in Development only.</summary>
internal sealed class EndpointReportLogger(
    FaableEndpointAuthorizationReport report,
    IHostApplicationLifetime lifetime,
    ILogger<FaableEndpointAuthorizationReport> logger,
    IHostEnvironment? environment = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment?.IsDevelopment() == true)
        {
            lifetime.ApplicationStarted.Register(Write);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal void Write()
    {
        var endpoints = report.GetEndpoints();
        Log.EndpointReport(logger, endpoints.Count, FaableEndpointAuthorizationReport.FormatTable(endpoints));
        foreach (var endpoint in endpoints.Where(e => e.IsUnprotected))
        {
            Log.UnprotectedEndpoint(logger, endpoint.Methods.Count == 0 ? "*" : string.Join(',', endpoint.Methods), endpoint.Route);
        }
    }
}
