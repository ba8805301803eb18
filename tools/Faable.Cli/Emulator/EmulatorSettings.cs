using System.Text.Json;
using Faable.Testing;
using Microsoft.Extensions.Configuration;

namespace Faable.Cli.Emulator;

/// <summary>
/// The emulator's settings file (<c>faable.emulator.json</c>): the keys of <see cref="FaableLocalTenantOptions"/> at the
/// root of the file (Clients, Apis, Users, Webhooks, Connections, ActionsPath, KeysPath, ...), bound and validated by
/// the local tenant itself so a file and an application's <c>Faable:LocalTenant</c> section mean the same. Unknown keys
/// and wrong types are errors naming the key.
/// </summary>
internal static class EmulatorSettings
{
    public const string DefaultFileName = "faable.emulator.json";

    /// <summary>The starter file written by <c>faable emulator init</c>, and the settings used when there is no file.</summary>
    public const string StarterJson = """
        {
          "Clients": [
            {
              "ClientId": "local-spa",
              "Name": "Local single-page app",
              "CallbackUrls": [ "http://localhost:3000/callback" ]
            },
            {
              "ClientId": "local-worker",
              "ClientSecret": "local-worker-secret-change-me",
              "Name": "Local worker",
              "GrantTypes": [ "client_credentials" ]
            }
          ],
          "Apis": [
            {
              "Identifier": "https://api.example.com",
              "Name": "Local API",
              "Scopes": [ "read:orders", "write:orders" ]
            }
          ],
          "Users": [
            {
              "UserId": "user_000000000000000000000001",
              "Email": "ada@example.com",
              "EmailVerified": true,
              "Name": "Ada Lovelace",
              "Connection": "database",
              "AppMetadata": { "plan": "pro" }
            },
            {
              "UserId": "user_000000000000000000000002",
              "Name": "Linus (GitHub, no public email)",
              "Connection": "github"
            }
          ],
          "Webhooks": [],
          "KeysPath": ".faable/keys"
        }

        """;

    /// <summary>
    /// The settings as a configuration section named after the file (so every error reads
    /// <c>faable.emulator.json:Clients:0:ClientId ...</c>), after checking every key is one the tenant knows.
    /// </summary>
    public static IConfigurationSection Load(string? path, string displayName)
    {
        IConfigurationRoot file;
        try
        {
            var builder = new ConfigurationBuilder();
            if (path is null)
            {
                builder.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(StarterJson)));
            }
            else
            {
                builder.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
            }

            file = builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException or IOException)
        {
            throw new CliUsageException($"{displayName} is not valid JSON: {(ex.InnerException ?? ex).Message}", ex);
        }

        var prefixed = file.AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null)

            // Without a file nothing is written into the current folder: keys live for this run unless --keys says otherwise.
            .Where(p => path is not null || !p.Key.Equals("KeysPath", StringComparison.OrdinalIgnoreCase))
            .Select(p => new KeyValuePair<string, string?>(displayName + ConfigurationPath.KeyDelimiter + p.Key, p.Value));
        var section = new ConfigurationBuilder().AddInMemoryCollection(prefixed).Build().GetSection(displayName);
        try
        {
            section.Bind(new FaableLocalTenantOptions(), o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliUsageException($"{displayName}: {ex.Message} The keys are listed in the README of Faable.Cli (faable emulator start --help).", ex);
        }

        return section;
    }
}
