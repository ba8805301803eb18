using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Faable.Testing.Internal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Faable.Testing;

/// <summary>
/// The local tenant served over HTTP by <c>MapFaableLocalTenant</c>: its issuer, keys and users, and the webhook
/// deliveries it made. Registered as a singleton by <c>AddFaableLocalTenant</c>; resolve it in tests to inspect state.
/// </summary>
public sealed partial class FaableLocalTenant : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly Lazy<FaableTestTenant> _tenant;
    private string? _routePrefix;
    private TenantSigningKey? _persistedKey;

    /// <summary>Created by dependency injection.</summary>
    public FaableLocalTenant(IOptions<FaableLocalTenantOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        Options = options.Value;
        _services = services;
        TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        Logger = services.GetService<ILoggerFactory>()?.CreateLogger("Faable.Testing.LocalTenant") ?? NullLogger.Instance;
        Metrics = LocalTenantMetrics.Create(services.GetService<IMeterFactory>());
        UserStore = new LocalUserStore(Options.Users);
        AuthorizationRequests = new ExpiringStore<AuthorizationRequest>(TimeProvider);
        Codes = new ExpiringStore<AuthorizationCodeGrant>(TimeProvider);
        PausedLogins = new ExpiringStore<PausedLogin>(TimeProvider);
        _tenant = new Lazy<FaableTestTenant>(CreateTenant, LazyThreadSafetyMode.ExecutionAndPublication);
        Webhooks = new WebhookSender(this, Options.WebhookHttpHandler);
    }

    /// <summary>
    /// The tenant URL and <c>iss</c> of its tokens: <see cref="FaableLocalTenantOptions.Issuer"/>, or the server's
    /// first address plus the mapped prefix, fixed at first use.
    /// </summary>
    /// <exception cref="InvalidOperationException">No issuer is configured and none can be derived yet (the server has not started or reports no address).</exception>
    public string Issuer => Tenant.Issuer;

    /// <summary>The keys and token builders behind the local tenant (the same keys its JWKS publishes).</summary>
    /// <exception cref="InvalidOperationException">As for <see cref="Issuer"/>.</exception>
    public FaableTestTenant Tenant => _tenant.Value;

    /// <summary>A snapshot of the tenant's users, configured and signed up.</summary>
    public IReadOnlyList<FaableLocalUser> Users => UserStore.All;

    /// <summary>A copy of the user with this id, or <see langword="null"/>.</summary>
    public FaableLocalUser? FindUser(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return UserStore.Find(userId);
    }

    /// <summary>Every webhook delivery attempt so far, oldest first.</summary>
    public IReadOnlyList<FaableLocalWebhookDelivery> WebhookDeliveries => Webhooks.Deliveries;

    /// <summary>
    /// Signs and sends an event of any type to the subscribers of that type (5-second timeout each, no retry), as the
    /// tenant does for <c>user.created</c>, <c>user.updated</c> and <c>auth.login</c>.
    /// </summary>
    /// <param name="eventType">The event type, e.g. <c>user.deleted</c>.</param>
    /// <param name="payload">The <c>payload</c> member, e.g. <c>{"user":{"user_id":"user_…"}}</c>.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>One delivery per subscriber (none when nobody subscribes to the type).</returns>
    public Task<IReadOnlyList<FaableLocalWebhookDelivery>> SendWebhookAsync(string eventType, JsonNode payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventType);
        ArgumentNullException.ThrowIfNull(payload);
        return Webhooks.SendAsync(eventType, payload, cancellationToken);
    }

    /// <summary>Disposes the signing keys and the webhook client.</summary>
    public void Dispose()
    {
        Webhooks.Dispose();
        if (_tenant.IsValueCreated)
        {
            _tenant.Value.Dispose();
        }
        else
        {
            _persistedKey?.Dispose();
        }
    }

    internal FaableLocalTenantOptions Options { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal LocalTenantMetrics Metrics { get; }

    internal LocalUserStore UserStore { get; }

    internal WebhookSender Webhooks { get; }

    internal ExpiringStore<AuthorizationRequest> AuthorizationRequests { get; }

    internal ExpiringStore<AuthorizationCodeGrant> Codes { get; }

    internal IReadOnlyList<string> Connections =>
        Options.Connections.Count > 0 ? [.. Options.Connections] : ["database", "github", "google"];

    internal string RoutePrefix => _routePrefix ?? "";

    internal ExpiringStore<PausedLogin> PausedLogins { get; }

    internal Faable.Actions.FaableActionsEngine? ActionsEngine { get; private set; }

    /// <summary>
    /// Loads the persisted signing key (when <see cref="FaableLocalTenantOptions.KeysPath"/> is set), the actions (folder
    /// and code) and builds the engine; called at start-up so a broken key file or action fails it.
    /// </summary>
    internal void InitializeActions(string contentRoot)
    {
        if (ActionsEngine is not null)
        {
            return;
        }

        if (Options.KeysPath is { Length: > 0 } keysPath && !_tenant.IsValueCreated)
        {
            _persistedKey = PersistedSigningKey.LoadOrCreate(Path.IsPathRooted(keysPath) ? keysPath : Path.Combine(contentRoot, keysPath));
        }

        var actions = new List<Faable.Actions.FaableAction>(Options.Actions);
        if (Options.ActionsPath is { Length: > 0 } path)
        {
            var full = Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
            if (!Directory.Exists(full))
            {
                throw new InvalidOperationException($"Faable:LocalTenant:ActionsPath '{path}' does not exist (resolved to '{full}'); create the folder or remove the setting.");
            }

            actions.AddRange(Faable.Actions.Loading.ActionFolder.Load(full));
        }

        var options = new Faable.Actions.FaableActionsOptions
        {
            ResumeStateKey = Options.ResumeStateKey ?? Secrets.NewOpaque(),
            StateLifetime = Options.LoginLifetime,
        };
        ActionsEngine = new Faable.Actions.FaableActionsEngine(
            actions,
            options,
            TimeProvider,
            store: null,
            _services.GetService<ILoggerFactory>(),
            _services.GetService<IMeterFactory>());
    }

    internal void SetRoutePrefix(string prefix)
    {
        if (_routePrefix is not null && _routePrefix != prefix)
        {
            throw new InvalidOperationException($"The local Faable tenant is already mapped at '{_routePrefix}'; map it once.");
        }

        _routePrefix = prefix;
    }

    internal FaableLocalClient? FindClient(string? clientId) =>
        clientId is null ? null : Options.Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal));

    internal FaableLocalApi? FindApi(string? identifier) =>
        identifier is null ? null : Options.Apis.FirstOrDefault(a => string.Equals(a.Identifier, identifier, StringComparison.Ordinal));

    internal static IReadOnlyList<string> GrantTypesOf(FaableLocalClient client) => client.GetAllowedGrantTypes();

    private FaableTestTenant CreateTenant()
    {
        var issuer = Options.Issuer ?? DeriveIssuer();
        Log.IssuerResolved(Logger, issuer);
        var options = new FaableTestTenantOptions
        {
            Issuer = issuer,
            AccountId = Options.AccountId,
            AccessTokenLifetime = Options.AccessTokenLifetime,
            TimeProvider = TimeProvider,
        };
        foreach (var scope in Options.Apis.SelectMany(a => a.Scopes).Distinct(StringComparer.Ordinal))
        {
            options.ScopesSupported.Add(scope);
        }

        return new FaableTestTenant(options, _persistedKey);
    }

    private string DeriveIssuer()
    {
        if (_routePrefix is null)
        {
            throw new InvalidOperationException(
                "The local Faable tenant has no issuer yet: set Faable:LocalTenant:Issuer, or call app.MapFaableLocalTenant(...) and start the server first.");
        }

        // The listening address once the server runs; before that (options read at start-up), the configured URLs.
        var addresses = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var origin = addresses?.Select(NormalizeAddress).FirstOrDefault(a => a is not null);
        if (origin is null)
        {
            var configured = _services.GetService<IConfiguration>()?["urls"];
            origin = configured?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(NormalizeAddress).FirstOrDefault(a => a is not null && !a.EndsWith(":0", StringComparison.Ordinal));
        }

        if (origin is null)
        {
            throw new InvalidOperationException(
                "The local Faable tenant cannot derive its issuer: the server reports no listening address yet and no 'urls' are configured. Set Faable:LocalTenant:Issuer, e.g. 'http://localhost:5000/_faable'.");
        }

        return origin + _routePrefix;
    }

    private static string? NormalizeAddress(string address)
    {
        var text = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/');
    }
}
