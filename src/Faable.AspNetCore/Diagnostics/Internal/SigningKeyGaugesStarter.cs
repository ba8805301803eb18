using Microsoft.Extensions.Hosting;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>Creates the gauges when the host starts.</summary>
internal sealed class SigningKeyGaugesStarter(SigningKeyGauges gauges) : IHostedService
{
    public SigningKeyGauges Gauges { get; } = gauges;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
