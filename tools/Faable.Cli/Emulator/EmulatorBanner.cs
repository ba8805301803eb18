using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Faable.Actions;
using Faable.Actions.Flow;
using Faable.Testing;

namespace Faable.Cli.Emulator;

/// <summary>What the emulator prints once it listens: where it is, what it holds, and a ready command for a token.</summary>
internal sealed class EmulatorBanner(FaableLocalTenant tenant, FaableLocalTenantOptions options, string? configPath, IReadOnlyList<FaableAction> actions)
{
    public string Issuer => tenant.Issuer;

    /// <summary>A curl that gets a client-credentials token, for the first client and API that allow one.</summary>
    public string? TokenCurl
    {
        get
        {
            var client = options.Clients.FirstOrDefault(c => c.ClientSecret is not null && c.GetAllowedGrantTypes().Contains("client_credentials", StringComparer.Ordinal));
            var api = options.Apis.FirstOrDefault();
            return client is null || api is null
                ? null
                : $"curl -sS -u '{client.ClientId}:{client.ClientSecret}' -d grant_type=client_credentials -d 'audience={api.Identifier}' {Issuer}/oauth/token";
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Faable emulator running. Issuer (Faable:Domain): {Issuer}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  discovery  {Issuer}/.well-known/openid-configuration");
        text.AppendLine(CultureInfo.InvariantCulture, $"  settings   {configPath ?? "built-in starter settings (write a file with 'faable emulator init')"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  keys       {(options.KeysPath is { } keys ? "kept in " + keys : "new for this run (--keys <folder> keeps them across restarts)")}; kid {tenant.Tenant.CurrentKeyId}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  actions    {(actions.Count == 0 ? "none (--actions <folder>)" : string.Join(", ", actions.Select(Describe)))}");
        text.AppendLine("Clients:");
        foreach (var client in options.Clients)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {client.ClientId,-20} {(client.ClientSecret is null ? "public" : "confidential"),-13} {string.Join(", ", client.GetAllowedGrantTypes())}");
            if (client.CallbackUrls.Count > 0)
            {
                text.Append("  callbacks: ").Append(string.Join(' ', client.CallbackUrls));
            }

            text.AppendLine();
        }

        text.AppendLine("APIs (audiences):");
        foreach (var api in options.Apis)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {api.Identifier,-32} scopes: {(api.Scopes.Count == 0 ? "(none)" : string.Join(' ', api.Scopes))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Users: {(options.Users.Count == 0 ? "none (the login page signs users up)" : string.Join(", ", options.Users.Select(u => u.Email ?? u.Name ?? u.UserId)))}");
        if (options.Webhooks.Count > 0)
        {
            text.AppendLine("Webhooks:");
            foreach (var hook in options.Webhooks)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {hook.Url}  {(hook.Events.Count == 0 ? "all events" : string.Join(", ", hook.Events))}");
            }
        }

        if (TokenCurl is { } curl)
        {
            text.AppendLine("Get a machine token:");
            text.AppendLine("  " + curl);
        }

        text.Append("Press Ctrl+C to stop.");
        return text.ToString();
    }

    public JsonObject ToJson() => new()
    {
        ["event"] = "started",
        ["issuer"] = Issuer,
        ["discovery"] = Issuer + "/.well-known/openid-configuration",
        ["jwks"] = Issuer + "/.well-known/jwks.json",
        ["settings"] = configPath,
        ["keysPath"] = options.KeysPath,
        ["keyId"] = tenant.Tenant.CurrentKeyId,
        ["clients"] = new JsonArray([.. options.Clients.Select(c => (JsonNode?)new JsonObject
        {
            ["clientId"] = c.ClientId,
            ["public"] = c.ClientSecret is null,
            ["grantTypes"] = new JsonArray([.. c.GetAllowedGrantTypes().Select(g => (JsonNode?)g)]),
            ["callbackUrls"] = new JsonArray([.. c.CallbackUrls.Select(u => (JsonNode?)u)]),
        })]),
        ["apis"] = new JsonArray([.. options.Apis.Select(a => (JsonNode?)new JsonObject
        {
            ["identifier"] = a.Identifier,
            ["scopes"] = new JsonArray([.. a.Scopes.Select(s => (JsonNode?)s)]),
        })]),
        ["users"] = new JsonArray([.. options.Users.Select(u => (JsonNode?)u.UserId)]),
        ["webhooks"] = new JsonArray([.. options.Webhooks.Select(w => (JsonNode?)w.Url)]),
        ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode?)Describe(a))]),
        ["tokenCurl"] = TokenCurl,
    };

    private static string Describe(FaableAction action) => $"{action.Name} [{ActionTriggerNames.ToName(action.Trigger)}]{(action.Enabled ? "" : " (disabled)")}";
}
