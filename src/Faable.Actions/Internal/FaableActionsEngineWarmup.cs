using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Faable.Actions.Internal;

/// <summary>
/// Builds the engine when the host starts, so a bad action folder or a script that does not compile stops the
/// start-up instead of failing the first login.
/// </summary>
internal sealed class FaableActionsEngineWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<FaableActionsEngine>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
