using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Faable.Integrations.Tests.Infrastructure;

/// <summary>The OrdersApi sample in Development (embedded local tenant), with its OpenAPI document.</summary>
internal sealed class SampleFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Development");
}
