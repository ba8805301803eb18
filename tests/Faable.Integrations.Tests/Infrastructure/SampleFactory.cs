using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Faable.Integrations.Tests.Infrastructure;

/// <summary>The OrdersApi sample in Development (embedded local tenant), with the OpenAPI document added.</summary>
internal sealed class SampleFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureServices(services => services.AddOpenApi(o => o.AddFaableSecurity()));
    }
}
