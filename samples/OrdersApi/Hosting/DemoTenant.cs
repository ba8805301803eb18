using Faable.Testing;
using Faable.Webhooks.Events;

namespace OrdersApi.Hosting;

/// <summary>
/// The local tenant the sample hosts in Development: the web and worker applications, the Orders API, a few
/// users (one GitHub user without an email), the <c>actions/</c> folder and a webhook subscription to
/// <c>/hooks/faable</c>. Every secret here is for local development only.
/// </summary>
public static class DemoTenant
{
    /// <summary>The web application (authorization code + PKCE).</summary>
    public const string WebClientId = "orders-web";

    /// <summary>The web application's secret.</summary>
    public const string WebClientSecret = "dev-web-secret-change-me-0123456789";

    /// <summary>The back-office worker (client credentials).</summary>
    public const string WorkerClientId = "orders-worker";

    /// <summary>The worker's secret.</summary>
    public const string WorkerClientSecret = "dev-worker-secret-change-me-0123456789";

    /// <summary>The GitHub user whose email is private: the progressive-profiling case.</summary>
    public const string GitHubUserId = "user_66f1a2b3c4d5e6f7a8b9c0d3";

    /// <summary>Configures the local tenant.</summary>
    public static void Configure(FaableLocalTenantOptions options, FaableSetup setup, IConfiguration configuration)
    {
        var origin = setup.PublicOrigin;
        options.Issuer = setup.SignIn.Authority;
        options.AllowOutsideDevelopment = configuration.GetValue<bool>("Faable:LocalTenant:AllowOutsideDevelopment");
        options.ActionsPath = ActionsFolder.Prepare(origin);

        var web = new FaableLocalClient { ClientId = WebClientId, ClientSecret = WebClientSecret, Name = "Orders" };
        web.CallbackUrls.Add(setup.SignIn.CallbackUrl);
        web.GrantTypes.Add("authorization_code");
        options.Clients.Add(web);

        var worker = new FaableLocalClient { ClientId = WorkerClientId, ClientSecret = WorkerClientSecret, Name = "Orders worker" };
        worker.GrantTypes.Add("client_credentials");
        options.Clients.Add(worker);

        var api = new FaableLocalApi { Identifier = FaableSetup.DemoAudience, Name = "Orders API" };
        foreach (var scope in new[] { "read:orders", "write:orders", "read:users" })
        {
            api.Scopes.Add(scope);
        }

        options.Apis.Add(api);

        options.Users.Add(new FaableLocalUser { UserId = "user_66f1a2b3c4d5e6f7a8b9c0d1", Name = "Ada Lovelace", Email = "ada@example.com", EmailVerified = true, Connection = "database" });
        options.Users.Add(new FaableLocalUser { UserId = "user_66f1a2b3c4d5e6f7a8b9c0d2", Name = "Grace Hopper", Email = "grace@example.com", EmailVerified = true, Connection = "google" });
        options.Users.Add(new FaableLocalUser { UserId = GitHubUserId, Name = "Linus (GitHub, private email)", Connection = "github" });

        var secret = configuration["Faable:Webhooks:Secret"];
        if (!string.IsNullOrEmpty(secret))
        {
            var hook = new FaableLocalWebhookSubscriber { Url = origin + "/hooks/faable", Secret = secret };
            hook.Events.Add(FaableWebhookEventTypes.UserCreated);
            hook.Events.Add(FaableWebhookEventTypes.UserUpdated);
            hook.Events.Add(FaableWebhookEventTypes.UserDeleted);
            options.Webhooks.Add(hook);
        }
    }
}
