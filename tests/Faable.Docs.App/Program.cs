// <snippet:program>
using System.Security.Claims;
using Faable.AspNetCore;
using Faable.AspNetCore.Authorization;
using Faable.Webhooks.Events;
using Orders;

var builder = WebApplication.CreateBuilder(args);
var redis = builder.Configuration.GetConnectionString("Redis")      // e.g. "localhost:6379"
    ?? throw new InvalidOperationException("Set ConnectionStrings:Redis.");

// Faable.AspNetCore: access tokens of your tenant for this API ("Faable": { "Domain", "Audience" }).
builder.Services.AddFaableAuth(builder.Configuration.GetSection("Faable"));

// Faable.Webhooks: verified, stored in Redis, then handed to your handler ("Faable:Webhooks:Secret").
builder.Services.AddSingleton<UserStore>();
builder.Services.AddFaableWebhooks(builder.Configuration.GetSection("Faable:Webhooks"))
    .AddHandler<UserCreated, UserSyncWebhookHandler>()
    .UseRedis(redis);

// Faable.Actions: the actions/ folder ("Faable:Actions:ActionsPath"), paused logins shared in Redis.
builder.Services.AddFaableActions(builder.Configuration.GetSection("Faable:Actions"))
    .UseRedis(redis);

var app = builder.Build();
app.UseFaableAuth();

app.MapGet("/orders", (ClaimsPrincipal user) => OrderBook.For(user.GetSubject()))
    .RequireScope("read:orders");
app.MapGet("/users", [RequireScope("read:users")] (UserStore users) => users.All());
app.MapFaableWebhooks("/hooks/faable");

app.Run();
// </snippet:program>

/// <summary>Entry point, visible to the tests' <c>WebApplicationFactory</c>.</summary>
public sealed partial class Program;
