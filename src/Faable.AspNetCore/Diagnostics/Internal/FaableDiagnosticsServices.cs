using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Faable.AspNetCore.Diagnostics.Internal;

/// <summary>The diagnostics every <c>AddFaableAuth</c> call registers: the report, its start-up log, the token doctor, key gauges.</summary>
internal static class FaableDiagnosticsServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new FaableEndpointAuthorizationReport(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EndpointReportLogger>());
        services.TryAddSingleton(sp => new FaableTokenDoctor(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FaableAuthOptions>>(),
            sp.GetRequiredService<Faable.AspNetCore.Internal.JwksKeyStore>(),
            sp.GetRequiredService<Faable.AspNetCore.Internal.FaableTokenValidator>()));
        services.TryAddSingleton<SigningKeyGauges>();
        services.TryAddSingleton<Faable.AspNetCore.ProtectedResource.Internal.ProtectedResourceState>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SigningKeyGaugesStarter>());
    }
}
