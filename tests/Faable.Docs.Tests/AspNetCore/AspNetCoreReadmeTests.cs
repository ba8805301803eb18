// <snippet:aspnetcore-quickstart>
// <snippet:aspnetcore-jwtbearer-events>
using System.Security.Claims;
using Faable.AspNetCore;
// </snippet:aspnetcore-jwtbearer-events>
using Faable.AspNetCore.Authorization;
// </snippet:aspnetcore-quickstart>
using System.Text.Json;
// <snippet:aspnetcore-token-doctor>
using Faable.AspNetCore.Diagnostics;
// </snippet:aspnetcore-token-doctor>
using Faable.Testing;
// <snippet:aspnetcore-jwtbearer-events>
using Microsoft.AspNetCore.Authentication.JwtBearer;
// </snippet:aspnetcore-jwtbearer-events>
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orders;

namespace Faable.Docs.Tests.AspNetCore;

/// <summary>The C# examples of src/Faable.AspNetCore/README.md, each run against the in-memory test tenant.</summary>
public sealed class AspNetCoreReadmeTests
{
    private const string Audience = DocsApi.Audience;

    [Fact]
    public async Task Quickstart_EachRequirement_AnswersAsDocumented()
    {
        using var tenant = new FaableTestTenant();
        var builder = DocsApi.CreateBuilder();
        builder.Services.AddFaableTestTenant(tenant, Audience);

        // <snippet:aspnetcore-quickstart>
        builder.Services.AddFaableAuth(builder.Configuration.GetSection("Faable"));

        var app = builder.Build();
        app.UseFaableAuth();

        app.MapGet("/orders", (ClaimsPrincipal user) => OrderBook.For(user.GetSubject()))
           .RequireScope("read:orders");                                       // all of the listed scopes
        var admin = app.MapGroup("/admin").RequireAnyScope("admin", "support");   // any one of them
        admin.MapPost("/refunds", () => Results.Accepted())
             .RequirePermission("write:refunds");                              // `permissions` claim only

        app.MapGet("/users", [RequireScope("read:users")] () => Results.Ok());    // attributes: handlers, controllers, actions
        app.MapPost("/sync", [RequireCallerType(FaableCallerType.Machine)] () => Results.NoContent());   // client credentials only

        app.MapGet("/me", (ClaimsPrincipal user) => new
        {
            Subject = user.GetSubject(),
            Scopes = user.GetScopes(),                                           // `scope`; HasScope(...) also reads `permissions`
            CanWrite = user.HasPermission("write:orders"),
            Machine = user.IsMachine(),                                          // sub == client_id
        });
        // </snippet:aspnetcore-quickstart>

        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            using var client = app.GetTestClient();
            string User(string scope, params string[] permissions) =>
                tenant.CreateUserAccessToken("user_ada").WithScope(scope).WithPermissions(permissions).Build();

            Assert.Equal(401, await DocsApi.StatusAsync(client, HttpMethod.Get, "/orders", null));
            Assert.Equal(200, await DocsApi.StatusAsync(client, HttpMethod.Get, "/orders", User("read:orders")));
            Assert.Equal(403, await DocsApi.StatusAsync(client, HttpMethod.Get, "/orders", User("read:orders2")));
            Assert.Equal(202, await DocsApi.StatusAsync(client, HttpMethod.Post, "/admin/refunds", User("support", "write:refunds")));
            Assert.Equal(403, await DocsApi.StatusAsync(client, HttpMethod.Post, "/admin/refunds", User("support")));
            Assert.Equal(403, await DocsApi.StatusAsync(client, HttpMethod.Post, "/admin/refunds", User("write:refunds", "write:refunds")));
            Assert.Equal(200, await DocsApi.StatusAsync(client, HttpMethod.Get, "/users", User("read:users")));
            Assert.Equal(403, await DocsApi.StatusAsync(client, HttpMethod.Get, "/users", User("read:orders")));
            Assert.Equal(204, await DocsApi.StatusAsync(client, HttpMethod.Post, "/sync", tenant.CreateMachineAccessToken("orders-job").Build()));
            Assert.Equal(403, await DocsApi.StatusAsync(client, HttpMethod.Post, "/sync", User("read:orders")));

            using var me = await DocsApi.SendAsync(client, HttpMethod.Get, "/me", User("read:orders", "write:orders"));
            using var json = JsonDocument.Parse(await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal("user_ada", json.RootElement.GetProperty("subject").GetString());
            Assert.True(json.RootElement.GetProperty("canWrite").GetBoolean());
            Assert.False(json.RootElement.GetProperty("machine").GetBoolean());
            Assert.Equal(["read:orders"], json.RootElement.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        }
    }

    [Fact]
    public async Task OptionsInCode_WithTheTenantsHandler_ValidateWithoutNetwork()
    {
        using var tenant = new FaableTestTenant();
        var builder = DocsApi.CreateBuilder();

        // <snippet:aspnetcore-options-in-code>
        builder.Services.AddFaableAuth(o =>
        {
            o.Domain = tenant.Issuer;                    // https://test-tenant.auth.faable.link
            o.Audience = "https://orders.example.com";
            o.BackchannelHttpHandler = tenant.Handler;   // discovery and JWKS served in process
        });
        // </snippet:aspnetcore-options-in-code>

        await using var app = builder.Build();
        app.UseFaableAuth();
        app.MapGet("/orders", () => "ok").RequireScope("read:orders");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();

        Assert.Equal(200, await DocsApi.StatusAsync(client, HttpMethod.Get, "/orders", tenant.CreateUserAccessToken("user_ada").WithAudience(Audience).WithScope("read:orders").Build()));
        Assert.True(tenant.Handler.JwksRequestCount > 0);
    }

    [Fact]
    public async Task JwtBearerEvents_OnTokenValidated_AddsClaims()
    {
        using var tenant = new FaableTestTenant();
        var builder = DocsApi.CreateBuilder();
        builder.Services.AddFaableAuth(builder.Configuration.GetSection("Faable"));
        builder.Services.AddFaableTestTenant(tenant, Audience);

        // <snippet:aspnetcore-jwtbearer-events>
        builder.Services.PostConfigure<JwtBearerOptions>(FaableAuthDefaults.AuthenticationScheme, o =>
            o.Events.OnTokenValidated = context =>
            {
                context.Principal!.Identities.First().AddClaim(new Claim("plan", "pro"));   // e.g. from your database
                return Task.CompletedTask;
            });
        // </snippet:aspnetcore-jwtbearer-events>

        await using var app = builder.Build();
        app.UseFaableAuth();
        app.MapGet("/plan", (ClaimsPrincipal user) => user.FindFirst("plan")?.Value).RequireScope("read:orders");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();

        using var response = await DocsApi.SendAsync(client, HttpMethod.Get, "/plan", tenant.CreateUserAccessToken("user_ada").WithScope("read:orders").Build());
        Assert.Equal("pro", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Integrations_OpenApiMetadataHealthAndDoctor_AnswerAsDocumented()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tenant = new FaableTestTenant();
        var builder = DocsApi.CreateBuilder(Environments.Development);
        builder.Services.AddFaableAuth(builder.Configuration.GetSection("Faable"));
        builder.Services.AddFaableTestTenant(tenant, Audience);
        // <snippet:aspnetcore-openapi>
        builder.Services.AddOpenApi(o => o.AddFaableSecurity());        // Microsoft.AspNetCore.OpenApi
        // </snippet:aspnetcore-openapi>
        // <snippet:aspnetcore-health>
        builder.Services.AddHealthChecks().AddFaableAuthHealthCheck();   // "faable_auth_keys"
        // </snippet:aspnetcore-health>

        await using var app = builder.Build();
        app.UseFaableAuth();
        app.MapGet("/orders", () => "ok").RequireScope("read:orders");
        // <snippet:aspnetcore-openapi>
        app.MapOpenApi();
        // </snippet:aspnetcore-openapi>
        // <snippet:aspnetcore-protected-resource>
        app.MapFaableProtectedResourceMetadata();   // GET /.well-known/oauth-protected-resource
        // </snippet:aspnetcore-protected-resource>
        app.MapHealthChecks("/health");
        // <snippet:aspnetcore-token-doctor>
        app.MapFaableTokenDoctor();   // Development only: POST /_faable/token-doctor with the token as the body; 404 elsewhere
        // </snippet:aspnetcore-token-doctor>
        await app.StartAsync(ct);
        using var client = app.GetTestClient();

        var openApi = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct);
        using (var document = JsonDocument.Parse(openApi))
        {
            Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Faable", out _), openApi);
        }

        var metadata = await client.GetStringAsync(new Uri("/.well-known/oauth-protected-resource", UriKind.Relative), ct);
        using (var document = JsonDocument.Parse(metadata))
        {
            Assert.Equal(Audience, document.RootElement.GetProperty("resource").GetString());
            Assert.Equal(tenant.Issuer, document.RootElement.GetProperty("authorization_servers")[0].GetString());
        }

        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health", UriKind.Relative), ct));

        var token = tenant.CreateUserAccessToken("user_ada").WithWrongAudience().Build();
        var options = app.Services.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
        var jwksJson = tenant.GetJwks();
        // <snippet:aspnetcore-token-doctor>
        var doctor = app.Services.GetRequiredService<FaableTokenDoctor>();
        var diagnosis = await doctor.DiagnoseAsync(token, ct);                                     // current keys of the tenant
        var offline = FaableTokenDoctor.Diagnose(token, options, jwksJson, TimeProvider.System);   // ArgumentException for an invalid Domain
        // </snippet:aspnetcore-token-doctor>

        Assert.Equal("wrong_audience", diagnosis.Reason);
        Assert.Equal("wrong_audience", offline.Reason);
        using var doctorResponse = await client.PostAsync(new Uri("/_faable/token-doctor", UriKind.Relative), new StringContent(token), ct);
        Assert.Contains("wrong_audience", await doctorResponse.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
