// Usage: Faable.Webhooks.Tests.Probe <redis configuration> <key prefix> <secret>
// Dispatches user.created deliveries from the Redis inbox with the default lease; its handler prints
// "handling <delivery id>" and then never finishes, so the test decides when this process dies.
using Faable.Webhooks.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("usage: Faable.Webhooks.Tests.Probe <redis configuration> <key prefix> <secret>");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddFaableWebhooks(o => o.Secret = args[2])
    .AddHandler<UserCreated>(async (e, services, cancellationToken) =>
    {
        Console.WriteLine("handling " + e.Id);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    })
    .UseRedis(o =>
    {
        o.Configuration = args[0];
        o.KeyPrefix = args[1];
    });
using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("started");
await host.WaitForShutdownAsync();
return 0;
