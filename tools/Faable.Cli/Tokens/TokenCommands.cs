using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.AspNetCore;
using Faable.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Faable.Cli.Tokens;

/// <summary><c>faable token doctor</c> and <c>faable token decode</c>.</summary>
internal static class TokenCommands
{
    /// <summary>The longest token the tool reads; the resource server refuses far shorter ones.</summary>
    private const int MaxTokenLength = 64 * 1024;

    private static readonly string[] TimeClaims = ["iat", "nbf", "exp", "auth_time"];

    public static Command Build(CliConsole console)
    {
        var token = new Command("token", "Explain or decode an access token.") { Doctor(console), Decode(console) };
        return token;
    }

    private static Argument<string> TokenArgument() => new("token")
    {
        Description = "The access token (a leading 'Bearer ' is ignored), or '-' to read it from standard input. It is never printed.",
    };

    private static Command Doctor(CliConsole console)
    {
        var token = TokenArgument();
        var domain = new Option<string>("--domain") { Description = "The tenant (Faable:Domain), e.g. acme.auth.faable.link or http://localhost:5001.", Required = true };
        var audience = new Option<string[]>("--audience")
        {
            Description = "The API identifier (Faable:Audience); repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var jwks = new Option<string?>("--jwks") { Description = "Read the keys from this JWKS file instead of fetching them from the tenant." };
        var skew = new Option<double?>("--skew") { Description = "Faable:ClockSkew in seconds (default 30)." };
        var permissionsOnly = new Option<bool>("--permissions-only") { Description = "Faable:TrustPermissionsOnly=true: only the permissions claim grants scopes." };
        var allowHttp = new Option<bool>("--allow-http") { Description = "Faable:RequireHttpsMetadata=false: the tenant is served over http (e.g. the local emulator)." };
        var command = new Command("doctor", """
            Explain every check the Faable resource server applies to an access token, in order, and the verdict.
            Exit code 0 accepted, 1 rejected, 64 wrong options, 69 the tenant's keys cannot be fetched.

            Example:
              faable token doctor "$TOKEN" --domain acme.auth.faable.link --audience https://api.example.com
              faable token doctor - --domain http://localhost:5001 --audience https://api.example.com --allow-http < token.txt
            """)
        {
            token, domain, audience, jwks, skew, permissionsOnly, allowHttp,
        };
        command.SetAction(async (result, ct) =>
        {
            var options = new FaableAuthOptions { Domain = result.GetValue(domain)! };
            var audiences = result.GetValue(audience) ?? [];
            options.Audience = audiences.FirstOrDefault();
            foreach (var extra in audiences.Skip(1))
            {
                options.Audiences.Add(extra);
            }

            if (result.GetValue(skew) is { } seconds)
            {
                options.ClockSkew = seconds is >= 0 and <= 3600
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new CliUsageException($"--skew {seconds.ToString(CultureInfo.InvariantCulture)} is out of range; give seconds between 0 and 3600.");
            }

            options.TrustPermissionsOnly = result.GetValue(permissionsOnly);
            options.RequireHttpsMetadata = !result.GetValue(allowHttp);
            var text = await ReadTokenAsync(result.GetValue(token)!, console, ct).ConfigureAwait(false);
            var diagnosis = result.GetValue(jwks) is { } file
                ? FaableTokenDoctor.Diagnose(text, Validated(options), await CliInput.ReadFileAsync(file, "--jwks", ct).ConfigureAwait(false), TimeProvider.System)
                : await DiagnoseOnlineAsync(text, options, ct).ConfigureAwait(false);
            if (result.GetValue(FaableCli.Json))
            {
                await FaableCli.WriteJsonAsync(console, ToJson(diagnosis)).ConfigureAwait(false);
            }
            else
            {
                await console.Out.WriteLineAsync(diagnosis.ToString()).ConfigureAwait(false);
            }

            return diagnosis.IsValid ? ExitCodes.Ok
                : diagnosis.Reason == "keys_unavailable" ? ExitCodes.Unavailable
                : ExitCodes.Rejected;
        });
        return command;
    }

    private static Command Decode(CliConsole console)
    {
        var token = TokenArgument();
        var command = new Command("decode", """
            Print a JWT's header and payload (times also as dates). Nothing is verified: use 'faable token doctor' for that.
            The signature is never printed. Exit code 0 decoded, 64 not a JWT.

            Example:
              faable token decode "$TOKEN"
              echo "$TOKEN" | faable token decode - --json
            """)
        {
            token,
        };
        command.SetAction(async (result, ct) =>
        {
            var text = await ReadTokenAsync(result.GetValue(token)!, console, ct).ConfigureAwait(false);
            var (header, payload) = DecodeJwt(text);
            if (result.GetValue(FaableCli.Json))
            {
                await FaableCli.WriteJsonAsync(console, new JsonObject { ["header"] = header, ["payload"] = payload, ["verified"] = false }).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var output = new StringBuilder();
            output.AppendLine("Header:").AppendLine(header.ToJsonString(CliJson.Indented));
            output.AppendLine("Payload:").AppendLine(payload.ToJsonString(CliJson.Indented));
            foreach (var claim in TimeClaims)
            {
                if (payload[claim] is JsonValue value && value.TryGetValue<long>(out var seconds) && seconds is > 0 and < 253402300800)
                {
                    output.Append(CultureInfo.InvariantCulture, $"{claim,-10} {DateTimeOffset.FromUnixTimeSeconds(seconds):yyyy-MM-dd HH:mm:ss} UTC").AppendLine();
                }
            }

            output.Append("The signature was not checked; 'faable token doctor' checks it against the tenant.");
            await console.Out.WriteLineAsync(output.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Splits a compact JWS and parses its header and payload as JSON objects; errors say what the text is instead.</summary>
    internal static (JsonObject Header, JsonObject Payload) DecodeJwt(string token)
    {
        var parts = token.Split('.');
        if (parts.Length == 5)
        {
            throw new CliUsageException("This is an encrypted token (JWE, five parts); it cannot be read without the tenant's key. Faable access tokens are signed JWTs with three parts.");
        }

        if (parts.Length != 3)
        {
            throw new CliUsageException($"This is not a JWT: it has {parts.Length} part(s) separated by '.', a JWT has three (header.payload.signature). An opaque token cannot be decoded; was it requested without an audience?");
        }

        return (Segment(parts[0], "header"), Segment(parts[1], "payload"));
    }

    private static JsonObject Segment(string segment, string name)
    {
        byte[] bytes;
        try
        {
            bytes = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(segment);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"The JWT's {name} is not base64url ({ex.Message}).", ex);
        }

        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new CliUsageException($"The JWT's {name} is JSON but not an object.");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"The JWT's {name} is not JSON ({ex.Message}).", ex);
        }
    }

    private static async Task<string> ReadTokenAsync(string value, CliConsole console, CancellationToken cancellationToken)
    {
        var text = value == "-"
            ? Encoding.UTF8.GetString(await CliInput.ReadStandardInputAsync(console, "pipe the token in, e.g. faable token decode - < token.txt", cancellationToken).ConfigureAwait(false))
            : value;
        text = text.Trim();
        if (text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..].Trim();
        }

        if (text.Length == 0)
        {
            throw new CliUsageException("The token is empty.");
        }

        if (text.Length > MaxTokenLength)
        {
            throw new CliUsageException($"The token is {text.Length} characters; the limit is {MaxTokenLength}.");
        }

        return text;
    }

    private static FaableAuthOptions Validated(FaableAuthOptions options)
    {
        using var provider = Services(options).BuildServiceProvider();
        return Resolve(provider);
    }

    private static async Task<FaableTokenDiagnosis> DiagnoseOnlineAsync(string token, FaableAuthOptions options, CancellationToken cancellationToken)
    {
        var provider = Services(options).BuildServiceProvider();
        await using var disposeProvider = provider.ConfigureAwait(false);
        _ = Resolve(provider);
        return await provider.GetRequiredService<FaableTokenDoctor>().DiagnoseAsync(token, cancellationToken).ConfigureAwait(false);
    }

    private static ServiceCollection Services(FaableAuthOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFaableAuth(o =>
        {
            o.Domain = options.Domain;
            o.Audience = options.Audience;
            foreach (var extra in options.Audiences)
            {
                o.Audiences.Add(extra);
            }

            o.ClockSkew = options.ClockSkew;
            o.TrustPermissionsOnly = options.TrustPermissionsOnly;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
        });
        return services;
    }

    /// <summary>The resource server's own start-up validation, its messages turned into command-line terms.</summary>
    private static FaableAuthOptions Resolve(ServiceProvider provider)
    {
        try
        {
            return provider.GetRequiredService<IOptions<FaableAuthOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            var hint = ex.Failures.Any(f => f.Contains("http://", StringComparison.Ordinal)) ? " For the local emulator over http, add --allow-http." : "";
            throw new CliUsageException(string.Join(Environment.NewLine, ex.Failures) + hint, ex);
        }
    }

    private static JsonObject ToJson(FaableTokenDiagnosis diagnosis)
    {
        var checks = new JsonArray();
        foreach (var check in diagnosis.Checks)
        {
            checks.Add(new JsonObject
            {
                ["name"] = check.Name,
                ["status"] = check.Status.ToString(),
                ["explanation"] = check.Explanation,
                ["reason"] = check.Reason,
            });
        }

        return new JsonObject
        {
            ["valid"] = diagnosis.IsValid,
            ["reason"] = diagnosis.Reason,
            ["firstFailure"] = diagnosis.FirstFailure?.Name,
            ["checks"] = checks,
        };
    }
}
