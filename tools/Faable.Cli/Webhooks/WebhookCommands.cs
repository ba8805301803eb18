using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Faable.Webhooks;
using Faable.Webhooks.Events;

namespace Faable.Cli.Webhooks;

/// <summary><c>faable webhooks sign</c> and <c>faable webhooks send</c>: exactly what Faable signs and sends.</summary>
internal static partial class WebhookCommands
{
    /// <summary>Read when <c>--secret</c> is not given, so the secret stays out of shell history and process lists.</summary>
    public const string SecretVariable = "FAABLE_WEBHOOK_SECRET";

    /// <summary>Faable's delivery timeout; the tool waits no longer.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] KnownTypes =
        [FaableWebhookEventTypes.UserCreated, FaableWebhookEventTypes.UserUpdated, FaableWebhookEventTypes.UserDeleted, FaableWebhookEventTypes.AuthLogin];

    private const int MaxShownBody = 4096;

    public static Command Build(CliConsole console) =>
        new("webhooks", "Sign and send webhook deliveries exactly as Faable does.") { Sign(console), Send(console) };

    private static Option<string?> SecretOption() => new("--secret")
    {
        Description = $"The subscription's signing secret (e.g. whsec_...), used as written. Defaults to ${SecretVariable}.",
    };

    private static Command Sign(CliConsole console)
    {
        var secret = SecretOption();
        var timestamp = new Option<string?>("--timestamp") { Description = "Unix time in milliseconds to sign with (default: now)." };
        var command = new Command("sign", """
            Sign a body read from standard input, byte for byte, and print the headers Faable would send with it:
            X-Faable-Timestamp, X-Faable-Signature (sha256=HMAC-SHA256(secret, "<timestamp>.<body>")), and X-Faable-Event and
            X-Faable-Delivery taken from the body's "type" and "id" when it has them.

            Example:
              faable webhooks sign --secret whsec_0123456789abcdef < body.json
              faable webhooks sign --timestamp 1751641200000 --json < body.json     (secret from $FAABLE_WEBHOOK_SECRET)
            """)
        {
            secret, timestamp,
        };
        command.SetAction(async (result, ct) =>
        {
            var signer = Signer(result.GetValue(secret), TimeProvider.System);
            var stamp = result.GetValue(timestamp) is { } given ? ValidTimestamp(given) : null;
            var body = await CliInput.ReadStandardInputAsync(console, "pipe the body in: faable webhooks sign --secret ... < body.json", ct).ConfigureAwait(false);
            if (body.Length == 0)
            {
                throw new CliUsageException("The body on standard input is empty; Faable signs the JSON body it sends.");
            }

            var (type, id) = EnvelopeOf(body);
            var signed = stamp is null ? signer.SignBody(body, type ?? "", id ?? "") : signer.SignBody(body, type ?? "", id ?? "", stamp);
            var headers = new JsonObject
            {
                [FaableWebhookDefaults.TimestampHeader] = signed.Timestamp,
                [FaableWebhookDefaults.SignatureHeader] = signed.Signature,
            };
            if (type is not null)
            {
                headers[FaableWebhookDefaults.EventHeader] = type;
            }

            if (id is not null)
            {
                headers[FaableWebhookDefaults.DeliveryHeader] = id;
            }

            if (result.GetValue(FaableCli.Json))
            {
                await FaableCli.WriteJsonAsync(console, new JsonObject { ["headers"] = headers }).ConfigureAwait(false);
            }
            else
            {
                foreach (var (name, value) in headers)
                {
                    await console.Out.WriteLineAsync($"{name}: {value}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Send(CliConsole console)
    {
        var url = new Argument<string>("url") { Description = "The receiver, e.g. http://localhost:5000/hooks/faable." };
        var type = new Option<string>("--type") { Description = "The event type: user.created, user.updated, user.deleted or auth.login.", Required = true };
        var data = new Option<string?>("--data") { Description = "The payload object as JSON, or @file.json (default: a sample user for user.* and auth.login)." };
        var id = new Option<string?>("--id") { Description = "The delivery id (X-Faable-Delivery, the body's id); default a new evt_... id. Reuse one to test de-duplication." };
        var secret = SecretOption();
        var command = new Command("send", """
            Build the delivery Faable sends ({"id","type","produced_at","payload"}), sign it, POST it with Faable's headers and
            5-second timeout (no retry, no redirects), and show the answer. Exit code 0 when answered 2xx, 1 otherwise,
            69 when nothing answered.

            Example:
              faable webhooks send http://localhost:5000/hooks/faable --type user.created --secret whsec_0123456789abcdef
              faable webhooks send http://localhost:5000/hooks/faable --type user.deleted --data '{"user":{"user_id":"user_1"}}'
            """)
        {
            url, type, data, id, secret,
        };
        command.SetAction(async (result, ct) =>
        {
            var target = Url(result.GetValue(url)!);
            var eventType = result.GetValue(type)!;
            if (!EventTypePattern().IsMatch(eventType))
            {
                throw new CliUsageException($"--type '{eventType}' is not an event type; use one of {string.Join(", ", KnownTypes)}.");
            }

            var json = result.GetValue(FaableCli.Json);
            if (!KnownTypes.Contains(eventType, StringComparer.Ordinal))
            {
                await console.Error.WriteLineAsync($"note: Faable sends {string.Join(", ", KnownTypes)}; '{eventType}' tests how the receiver treats an unknown type.").ConfigureAwait(false);
            }

            var payload = result.GetValue(data) is { } given ? await CliInput.ReadJsonObjectAsync(given, "--data", ct).ConfigureAwait(false) : SamplePayload(eventType);
            var deliveryId = result.GetValue(id) ?? FaableWebhookSigner.NewDeliveryId();
            var signed = Signer(result.GetValue(secret), TimeProvider.System).Sign(eventType, deliveryId, payload.ToJsonString());
            var outcome = await PostAsync(target, signed, ct).ConfigureAwait(false);
            if (json)
            {
                await FaableCli.WriteJsonAsync(console, new JsonObject
                {
                    ["url"] = target.ToString(),
                    ["event"] = eventType,
                    ["delivery"] = deliveryId,
                    ["timestamp"] = signed.Timestamp,
                    ["status"] = outcome.Status,
                    ["error"] = outcome.Error,
                    ["durationMs"] = Math.Round(outcome.Duration.TotalMilliseconds, 1),
                    ["responseBody"] = outcome.Body,
                    ["requestBody"] = signed.BodyText,
                }).ConfigureAwait(false);
            }
            else
            {
                var text = new StringBuilder();
                text.Append(CultureInfo.InvariantCulture, $"POST {target}").AppendLine();
                foreach (var (name, value) in signed.Headers)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  {name}: {value}").AppendLine();
                }

                text.Append("  ").AppendLine(signed.BodyText);
                text.AppendLine(outcome.Status is { } status
                    ? FormattableString.Invariant($"Answered {status} {outcome.Reason} in {outcome.Duration.TotalMilliseconds:0} ms{(status is >= 200 and < 300 ? "" : ": Faable logs this delivery as failed and does not retry it")}.")
                    : $"No answer: {outcome.Error}");
                if (!string.IsNullOrEmpty(outcome.Body))
                {
                    text.AppendLine(outcome.Body);
                }

                await console.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
            }

            return outcome.Status switch
            {
                null => ExitCodes.Unavailable,
                >= 200 and < 300 => ExitCodes.Ok,
                _ => ExitCodes.Rejected,
            };
        });
        return command;
    }

    private static async Task<(int? Status, string? Reason, string? Body, string? Error, TimeSpan Duration)> PostAsync(Uri target, FaableWebhookSignedDelivery signed, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = signed.CreateRequest(target);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("faable-cli", "1.0"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadShownBodyAsync(response, timeout.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, response.ReasonPhrase, body, null, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, null, $"no answer within {SendTimeout.TotalSeconds:0} seconds (Faable's timeout).", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            return (null, null, null, $"{ex.Message} Is the receiver running at {target.GetLeftPart(UriPartial.Authority)}?", Stopwatch.GetElapsedTime(started));
        }
    }

    private static async Task<string> ReadShownBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxShownBody + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, MaxShownBody));
            return read > MaxShownBody ? text + "…" : text;
        }
    }

    private static FaableWebhookSigner Signer(string? secret, TimeProvider time)
    {
        var value = secret ?? Environment.GetEnvironmentVariable(SecretVariable);
        if (string.IsNullOrEmpty(value))
        {
            throw new CliUsageException($"No secret: give --secret whsec_... (the subscription's signing secret) or set ${SecretVariable}.");
        }

        try
        {
            _ = new FaableWebhookSecret("--secret", value);
            return new FaableWebhookSigner(value, time);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal), ex);
        }
    }

    private static string ValidTimestamp(string value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || value.Length > 16)
        {
            throw new CliUsageException($"--timestamp '{value}' is not a Unix time in milliseconds, e.g. 1751641200000.");
        }

        if (ms < 100_000_000_000)
        {
            throw new CliUsageException($"--timestamp {value} looks like seconds; Faable's timestamps are milliseconds, e.g. {value}000.");
        }

        return value;
    }

    private static Uri Url(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Fragment.Length > 0)
        {
            throw new CliUsageException($"'{value}' is not an absolute http(s) URL, e.g. http://localhost:5000/hooks/faable.");
        }

        return uri;
    }

    /// <summary>The body's <c>type</c> and <c>id</c>, when it is a Faable envelope; the signature covers the bytes either way.</summary>
    private static (string? Type, string? Id) EnvelopeOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (String(root, "type"), String(root, "id"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? String(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 200 } s && !s.Any(char.IsControl) ? s : null;
    }

    private static JsonObject SamplePayload(string eventType)
    {
        var user = new JsonObject
        {
            ["user_id"] = "user_5f0c0ffee0000000000000a1",
            ["email"] = "margaret@example.com",
            ["email_verified"] = true,
            ["name"] = "Margaret Hamilton",
        };
        return eventType switch
        {
            FaableWebhookEventTypes.UserDeleted => new JsonObject { ["user"] = new JsonObject { ["user_id"] = "user_5f0c0ffee0000000000000a1" } },
            FaableWebhookEventTypes.AuthLogin => new JsonObject { ["user"] = user, ["client_id"] = "local-spa", ["connection"] = "database" },
            _ => new JsonObject { ["user"] = user },
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex EventTypePattern();
}
