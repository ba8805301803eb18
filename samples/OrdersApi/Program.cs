using Faable.Webhooks.Events;
using OrdersApi;
using OrdersApi.Hosting;
using OrdersApi.Orders;
using OrdersApi.SignIn;
using OrdersApi.Users;

var builder = WebApplication.CreateBuilder(args);
var setup = FaableSetup.Resolve(builder.Configuration, builder.Environment);
var faable = builder.Configuration.GetSection("Faable");

// The resource server: validates Faable access tokens and answers 401/403 as RFC 6750 and problem+json.
var auth = builder.Services.AddFaableAuth(faable);

// Webhooks: verified, de-duplicated, then handed to UserSyncWebhookHandler out of band.
builder.Services.AddFaableWebhooks(faable.GetSection("Webhooks"))
    .AddHandler<UserCreated, UserSyncWebhookHandler>()
    .AddHandler<UserUpdated, UserSyncWebhookHandler>()
    .AddHandler<UserDeleted, UserSyncWebhookHandler>();

if (setup.Embedded)
{
    builder.Services.AddFaableLocalTenant(options => DemoTenant.Configure(options, setup, builder.Configuration));
    auth.UseFaableLocalTenant(FaableSetup.DemoAudience);
}

// OpenAPI (GET /openapi/v1.json): the Faable security scheme, and on each operation the scopes its endpoint requires.
builder.Services.AddOpenApi(options => options.AddFaableSecurity());

// Health: the tenant's signing keys and the webhook inbox (GET /health).
builder.Services.AddHealthChecks().AddFaableAuthHealthCheck().AddFaableWebhooksHealthCheck();

builder.Services.AddProblemDetails();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderStore>();
builder.Services.AddSingleton<UserDirectory>();
builder.Services.AddSingleton<SignInTransactions>();
builder.Services.AddSingleton(setup.SignIn);
builder.Services.AddSingleton<ProfileCompletion>();
builder.Services.AddHttpClient(SignInEndpoints.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));

var app = builder.Build();

app.UseStatusCodePages();
app.UseFaableAuth();

if (setup.Embedded)
{
    app.MapFaableLocalTenant(FaableSetup.LocalTenantPrefix);
    StartupBanner.PrintOnStart(app, setup);
}

app.MapOrders();
app.MapUsers();
app.MapMe();
app.MapFaableWebhooks("/hooks/faable");
app.MapSignIn(setup.Embedded);
app.MapHealthChecks("/health");
app.MapOpenApi().AllowAnonymous();

// RFC 9728 (GET /.well-known/oauth-protected-resource): the tenant that issues this API's tokens, and its scopes.
app.MapFaableProtectedResourceMetadata();

// Development only (404 elsewhere): POST a token to /_faable/token-doctor to see which check it fails and why.
app.MapFaableTokenDoctor();

app.Run();

/// <summary>Entry point, visible to the end-to-end tests' <c>WebApplicationFactory</c>.</summary>
public sealed partial class Program;
