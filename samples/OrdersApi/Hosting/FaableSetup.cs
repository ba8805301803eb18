using OrdersApi.SignIn;

namespace OrdersApi.Hosting;

/// <summary>
/// Which tenant the sample trusts. With <c>Faable:Domain</c> and <c>Faable:Audience</c> set: that real tenant, and
/// nothing is hosted. Without them, in Development (or with <c>Faable:LocalTenant:AllowOutsideDevelopment</c>): the
/// local tenant, hosted by this application under <see cref="LocalTenantPrefix"/>.
/// </summary>
public sealed class FaableSetup
{
    /// <summary>Where the embedded local tenant lives.</summary>
    public const string LocalTenantPrefix = "/_faable";

    /// <summary>The API identifier of the orders API in the embedded tenant.</summary>
    public const string DemoAudience = "https://orders.example.com";

    private FaableSetup(bool embedded, string publicOrigin, SignInSettings signIn)
    {
        Embedded = embedded;
        PublicOrigin = publicOrigin;
        SignIn = signIn;
    }

    /// <summary>Whether the local tenant is hosted by this application.</summary>
    public bool Embedded { get; }

    /// <summary>This application's origin, e.g. <c>http://localhost:5080</c>.</summary>
    public string PublicOrigin { get; }

    /// <summary>How the pages sign users in.</summary>
    public SignInSettings SignIn { get; }

    /// <summary>Decides the setup from configuration.</summary>
    /// <exception cref="InvalidOperationException">The configuration names half a tenant, or no tenant outside Development.</exception>
    public static FaableSetup Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var domain = configuration["Faable:Domain"];
        var audience = configuration["Faable:Audience"];
        var origin = ResolvePublicOrigin(configuration);
        var hasDomain = !string.IsNullOrWhiteSpace(domain);
        var hasAudience = !string.IsNullOrWhiteSpace(audience);
        if (hasDomain && hasAudience)
        {
            var authority = domain!.Contains("://", StringComparison.Ordinal) ? domain.TrimEnd('/') : "https://" + domain.TrimEnd('/');
            return new FaableSetup(false, origin, new SignInSettings
            {
                Authority = authority,
                Audience = audience!,
                ClientId = configuration["OrdersApi:SignIn:ClientId"],
                ClientSecret = configuration["OrdersApi:SignIn:ClientSecret"],
                PublicOrigin = origin,
            });
        }

        if (hasDomain || hasAudience)
        {
            throw new InvalidOperationException(
                "Set both Faable:Domain and Faable:Audience to use a real tenant, or neither to use the local tenant in Development.");
        }

        if (!environment.IsDevelopment() && !configuration.GetValue<bool>("Faable:LocalTenant:AllowOutsideDevelopment"))
        {
            throw new InvalidOperationException(
                $"No Faable tenant is configured and the environment is '{environment.EnvironmentName}'. Set Faable:Domain and Faable:Audience " +
                "(the local tenant is hosted only in Development, or with Faable:LocalTenant:AllowOutsideDevelopment=true).");
        }

        return new FaableSetup(true, origin, new SignInSettings
        {
            Authority = origin + LocalTenantPrefix,
            Audience = DemoAudience,
            ClientId = DemoTenant.WebClientId,
            ClientSecret = DemoTenant.WebClientSecret,
            PublicOrigin = origin,
        });
    }

    // The origin is needed before the server listens: it is the local tenant's issuer, the callback URL and the
    // webhook subscriber URL. It comes from OrdersApi:PublicOrigin, else from the first configured URL.
    private static string ResolvePublicOrigin(IConfiguration configuration)
    {
        if (configuration["OrdersApi:PublicOrigin"] is { Length: > 0 } configured)
        {
            return Normalize(configured) ?? throw new InvalidOperationException(
                $"OrdersApi:PublicOrigin '{configured}' must be an absolute http(s) origin such as 'http://localhost:5080'.");
        }

        var urls = configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            return "http://localhost:5000";
        }

        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var origin = Normalize(first.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal));
        if (origin is null || origin.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Cannot tell this application's address from urls '{urls}'; listen on a fixed port or set OrdersApi:PublicOrigin.");
        }

        return origin;
    }

    private static string? Normalize(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
