using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Faable.Actions;
using Faable.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Faable.Cli.Emulator;

/// <summary><c>faable emulator start</c> and <c>faable emulator init</c>: the local tenant as a server of its own.</summary>
internal static class EmulatorCommands
{
    public const int DefaultPort = 5001;

    public static Command Build(CliConsole console) =>
        new("emulator", "Run a local Faable tenant for any frontend or backend.") { Start(console), Init(console) };

    private static Command Start(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "The port on localhost.", DefaultValueFactory = _ => DefaultPort };
        var config = new Option<string?>("--config")
        {
            Description = $"The settings file (default: ./{EmulatorSettings.DefaultFileName} when present, else built-in starter settings).",
        };
        var actions = new Option<string?>("--actions") { Description = "A folder of actions run in the login flow (overrides the file's ActionsPath)." };
        var keys = new Option<string?>("--keys") { Description = "A folder that keeps the signing key, so tokens survive a restart (overrides the file's KeysPath)." };
        var issuer = new Option<string?>("--issuer") { Description = "The issuer URL when the emulator is reached under another address (default http://localhost:<port>)." };
        var command = new Command("start", """
            Serve a local Faable tenant at http://localhost:<port>: discovery, JWKS, /authorize with a development login page,
            /oauth/token (client credentials; authorization code with PKCE), /continue, /userinfo, /oidc/logout, the actions
            folder in the login flow, and signed webhooks to the subscribers of the settings file. Prints the issuer, the
            clients and a ready curl for a token. Ctrl+C stops it.

            Example:
              faable emulator start --port 5001 --config faable.emulator.json --actions ./actions
            """)
        {
            port, config, actions, keys, issuer,
        };
        command.SetAction((result, ct) => RunAsync(console, new StartRequest(
            result.GetValue(port), result.GetValue(config), result.GetValue(actions), result.GetValue(keys), result.GetValue(issuer), result.GetValue(FaableCli.Json)), ct));
        return command;
    }

    private static Command Init(CliConsole console)
    {
        var config = new Option<string>("--config") { Description = "Where to write the settings file.", DefaultValueFactory = _ => EmulatorSettings.DefaultFileName };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file." };
        var command = new Command("init", """
            Write a starter settings file for 'faable emulator start': a public single-page-app client, a client-credentials
            worker, an API with two scopes, two users, no webhooks, and KeysPath .faable/keys (keep .faable/ out of git).

            Example:
              faable emulator init && faable emulator start
            """)
        {
            config, force,
        };
        command.SetAction(async (result, ct) =>
        {
            var path = Path.GetFullPath(result.GetValue(config)!);
            if (File.Exists(path) && !result.GetValue(force))
            {
                throw new CliUsageException($"'{path}' already exists; edit it, or pass --force to overwrite it with the starter settings.");
            }

            try
            {
                await File.WriteAllTextAsync(path, EmulatorSettings.StarterJson, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"'{path}' cannot be written: {ex.Message}", ex);
            }

            if (result.GetValue(FaableCli.Json))
            {
                await FaableCli.WriteJsonAsync(console, new JsonObject { ["written"] = path }).ConfigureAwait(false);
            }
            else
            {
                await console.Out.WriteLineAsync($"""
                    Wrote {path}.
                    Start the emulator with: faable emulator start{(Path.GetFileName(path) == EmulatorSettings.DefaultFileName && Path.GetDirectoryName(path) == Directory.GetCurrentDirectory() ? "" : $" --config {path}")}
                    Add .faable/ to .gitignore: the signing key is kept there.
                    """).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record StartRequest(int Port, string? Config, string? Actions, string? Keys, string? Issuer, bool Json);

    private static async Task<int> RunAsync(CliConsole console, StartRequest request, CancellationToken cancellationToken)
    {
        if (request.Port is < 1 or > 65535)
        {
            throw new CliUsageException($"--port {request.Port} is not a TCP port; use 1-65535, e.g. --port {DefaultPort}.");
        }

        var configPath = request.Config;
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new CliUsageException($"--config '{configPath}' does not exist (resolved to '{Path.GetFullPath(configPath)}'); write one with 'faable emulator init --config {configPath}'.");
        }

        if (configPath is null && File.Exists(EmulatorSettings.DefaultFileName))
        {
            configPath = EmulatorSettings.DefaultFileName;
        }

        var displayName = configPath is null ? "built-in settings" : Path.GetFileName(configPath).Replace(':', '_');
        var section = EmulatorSettings.Load(configPath, displayName);
        var contentRoot = configPath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        var issuer = request.Issuer ?? $"http://localhost:{request.Port}";

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Development,
            ContentRootPath = contentRoot,
            ApplicationName = "faable-emulator",
        });

        // Nothing from the folder it runs in (an application's appsettings.json, ASPNETCORE_URLS) changes the emulator.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(request.Port));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Faable", LogLevel.Information);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddCors();
        builder.Services.AddFaableLocalTenant(section);
        builder.Services.PostConfigure<FaableLocalTenantOptions>(o =>
        {
            o.Issuer ??= issuer;
            if (request.Actions is not null)
            {
                o.ActionsPath = Path.GetFullPath(request.Actions);
            }

            if (request.Keys is not null)
            {
                o.KeysPath = Path.GetFullPath(request.Keys);
            }
        });

        var app = builder.Build();
        await using var disposeApp = app.ConfigureAwait(false);
        FaableLocalTenantOptions options;
        IReadOnlyList<FaableAction> actions;
        try
        {
            options = app.Services.GetRequiredService<IOptions<FaableLocalTenantOptions>>().Value;
            actions = options.ActionsPath is { } folder ? Faable.Actions.Loading.ActionFolder.Load(Path.Combine(contentRoot, folder)) : [];

            // Browser apps on the clients' callback origins call discovery, JWKS, /oauth/token and /userinfo directly.
            var origins = options.Clients.SelectMany(c => c.CallbackUrls).Select(u => new Uri(u).GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            app.UseCors(cors => cors.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST"));
            app.MapFaableLocalTenant("");
        }
        catch (OptionsValidationException ex)
        {
            throw new CliUsageException(string.Join(Environment.NewLine, ex.Failures), ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FaableActionException or Faable.Actions.Loading.ActionFolderException)
        {
            throw new CliUsageException(ex.Message, ex);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await console.Error.WriteLineAsync($"error: cannot listen on localhost:{request.Port} ({ex.Message}); choose another port with --port, or stop what uses it.").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }

        var tenant = app.Services.GetRequiredService<FaableLocalTenant>();
        var banner = new EmulatorBanner(tenant, options, configPath is null ? null : Path.GetFullPath(configPath), actions);
        if (request.Json)
        {
            await console.Out.WriteLineAsync(banner.ToJson().ToJsonString(CliJson.Line)).ConfigureAwait(false);
        }
        else
        {
            await console.Out.WriteLineAsync(banner.ToString()).ConfigureAwait(false);
        }

        await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        await console.Out.WriteLineAsync(request.Json ? new JsonObject { ["event"] = "stopped" }.ToJsonString(CliJson.Line) : "Faable emulator stopped.").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
