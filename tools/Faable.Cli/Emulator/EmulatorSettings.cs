using System.Reflection;
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

    /// <summary>Properties of the options that are set in code only (handlers, actions as objects), never from a file.</summary>
    private static readonly string[] CodeOnly = [nameof(FaableLocalTenantOptions.Actions), nameof(FaableLocalTenantOptions.WebhookHttpHandler)];

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
        var problems = new List<string>();
        FindUnknownKeys(section, typeof(FaableLocalTenantOptions), problems);
        if (problems.Count > 0)
        {
            throw new CliUsageException(
                string.Join(Environment.NewLine, problems) + Environment.NewLine +
                "The settings are listed in the README of Faable.Cli; names are those of Faable:LocalTenant (e.g. Clients:0:CallbackUrls).");
        }

        try
        {
            section.Bind(new FaableLocalTenantOptions());
        }
        catch (InvalidOperationException ex)
        {
            var detail = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            throw new CliUsageException($"{displayName}: {detail}", ex);
        }

        return section;
    }

    /// <summary>Every key under <paramref name="section"/> that names no member of <paramref name="type"/>, and every list item of the wrong shape, by full path.</summary>
    private static void FindUnknownKeys(IConfigurationSection section, Type type, List<string> unknown)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => !CodeOnly.Contains(p.Name, StringComparer.Ordinal))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                unknown.Add($"{child.Path}: no such setting.");
                continue;
            }

            // Lists of settings objects (Clients, Apis, Users, Webhooks): check each item against the item type.
            var itemType = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(IList<>)
                ? property.PropertyType.GetGenericArguments()[0]
                : null;
            if (itemType is not null && itemType != typeof(string))
            {
                foreach (var item in child.GetChildren())
                {
                    FindUnknownKeys(item, itemType, unknown);

                    // The binder skips a list item it cannot convert without a word; binding the item alone says why.
                    try
                    {
                        _ = item.Get(itemType);
                    }
                    catch (InvalidOperationException ex)
                    {
                        unknown.Add(ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message);
                    }
                }
            }
        }
    }
}
