using System.Globalization;
using Faable.AspNetCore;
using Faable.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Faable.TokenDoctor;

/// <summary>
/// <c>faable-token-doctor --domain acme.auth.faable.link --audience https://api.example.com [--jwks jwks.json] &lt;token | -&gt;</c>:
/// explains every check the resource server applies to the token. Exit code 0 when accepted, 1 when rejected, 2 for usage errors.
/// </summary>
internal static class TokenDoctorCommand
{
    public const int Accepted = 0;
    public const int Rejected = 1;
    public const int UsageError = 2;

    private const string Usage = """
        Usage: dotnet run --project tools/Faable.TokenDoctor -- --domain <tenant> --audience <api identifier> [options] <token | ->

          --domain <tenant>         Faable:Domain, e.g. acme.auth.faable.link or https://acme.auth.faable.link
          --audience <identifier>   Faable:Audience (repeat for several)
          --jwks <file>             read the keys from a JWKS file instead of fetching them from the tenant
          --skew <seconds>          Faable:ClockSkew in seconds (default 30)
          --permissions-only        Faable:TrustPermissionsOnly=true
          --allow-http              Faable:RequireHttpsMetadata=false (a local tenant over http)
          <token>                   the access token; '-' reads it from standard input

        The token is never printed. Exit code: 0 accepted, 1 rejected, 2 usage error.
        """;

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, HttpMessageHandler? backchannel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new FaableAuthOptions();
        string? jwksFile = null;
        string? token = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            try
            {
                switch (arg)
                {
                    case "--help" or "-h":
                        await output.WriteLineAsync(Usage).ConfigureAwait(false);
                        return UsageError;
                    case "--domain":
                        options.Domain = Value();
                        break;
                    case "--audience":
                        var audience = Value();
                        if (options.Audience is null)
                        {
                            options.Audience = audience;
                        }
                        else
                        {
                            options.Audiences.Add(audience);
                        }

                        break;
                    case "--jwks":
                        jwksFile = Value();
                        break;
                    case "--skew":
                        options.ClockSkew = TimeSpan.FromSeconds(double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture));
                        break;
                    case "--permissions-only":
                        options.TrustPermissionsOnly = true;
                        break;
                    case "--allow-http":
                        options.RequireHttpsMetadata = false;
                        break;
                    case "-":
                        token = await input.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (arg.StartsWith("--", StringComparison.Ordinal) || token is not null)
                        {
                            throw new ArgumentException($"Unexpected argument '{(arg.Length > 40 ? arg[..12] + "…" : arg)}'.");
                        }

                        token = arg;
                        break;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                await error.WriteLineAsync(Usage).ConfigureAwait(false);
                return UsageError;
            }
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            await error.WriteLineAsync("No token given.").ConfigureAwait(false);
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return UsageError;
        }

        FaableTokenDiagnosis diagnosis;
        if (jwksFile is not null)
        {
            if (!File.Exists(jwksFile))
            {
                await error.WriteLineAsync($"JWKS file '{jwksFile}' not found.").ConfigureAwait(false);
                return UsageError;
            }

            var problems = Validate(options);
            if (problems is not null)
            {
                await error.WriteLineAsync(problems).ConfigureAwait(false);
                return UsageError;
            }

            var jwks = await File.ReadAllTextAsync(jwksFile, cancellationToken).ConfigureAwait(false);
            diagnosis = FaableTokenDoctor.Diagnose(token, options, jwks, TimeProvider.System);
        }
        else
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddFaableAuth(o => Copy(options, o, backchannel));
            using var provider = services.BuildServiceProvider();
            try
            {
                _ = provider.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                await error.WriteLineAsync(string.Join(Environment.NewLine, ex.Failures)).ConfigureAwait(false);
                return UsageError;
            }

            diagnosis = await provider.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync(diagnosis.ToString()).ConfigureAwait(false);
        return diagnosis.IsValid ? Accepted : Rejected;
    }

    private static string? Validate(FaableAuthOptions options)
    {
        var services = new ServiceCollection();
        services.AddFaableAuth(o => Copy(options, o, null));
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return string.Join(Environment.NewLine, ex.Failures);
        }
    }

    private static void Copy(FaableAuthOptions from, FaableAuthOptions to, HttpMessageHandler? backchannel)
    {
        to.Domain = from.Domain;
        to.Audience = from.Audience;
        foreach (var audience in from.Audiences)
        {
            to.Audiences.Add(audience);
        }

        to.ClockSkew = from.ClockSkew;
        to.TrustPermissionsOnly = from.TrustPermissionsOnly;
        to.RequireHttpsMetadata = from.RequireHttpsMetadata;
        to.BackchannelHttpHandler = backchannel;
    }
}
