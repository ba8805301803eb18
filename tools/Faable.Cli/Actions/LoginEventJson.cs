using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Actions.Events;

namespace Faable.Cli.Actions;

/// <summary>
/// Reads an action's <c>event</c> written as Faable logs it (snake_case, <c>request.userAgent</c>), either the event
/// itself or an object whose <c>event</c> member holds it. Every field has the type Faable gives it; a wrong type is an
/// error naming the field, and fields the emulator does not model are reported as notes, never silently used.
/// </summary>
internal static class LoginEventJson
{
    private static readonly string[] TopLevel = ["user", "client", "connection", "request", "stats"];
    private static readonly string[] UserFields =
        ["user_id", "email", "email_verified", "name", "nickname", "given_name", "family_name", "picture", "created_at", "app_metadata", "user_metadata"];

    public static LoginEvent Parse(JsonObject document, List<string> notes)
    {
        var root = document;
        if (document["event"] is JsonObject wrapped && !document.ContainsKey("user"))
        {
            root = wrapped;
        }

        Ignored(root, TopLevel, "event", notes);
        var user = ParseUser(root["user"] as JsonObject ?? throw Error("event.user", "an object with at least user_id", root["user"]), notes);
        var loginEvent = new LoginEvent { User = user };
        if (Object(root, "client", "event") is { } client)
        {
            Ignored(client, ["client_id", "name"], "event.client", notes);
            loginEvent = loginEvent with
            {
                Client = new LoginClient(
                    String(client, "client_id", "event.client") ?? loginEvent.Client.ClientId,
                    String(client, "name", "event.client") ?? loginEvent.Client.Name),
            };
        }

        if (Object(root, "connection", "event") is { } connection)
        {
            Ignored(connection, ["name", "strategy"], "event.connection", notes);
            var name = String(connection, "name", "event.connection") ?? loginEvent.Connection.Name;
            loginEvent = loginEvent with { Connection = new LoginConnection(name, String(connection, "strategy", "event.connection") ?? name) };
        }

        if (Object(root, "request", "event") is { } request)
        {
            Ignored(request, ["ip", "userAgent", "language", "device", "ip_datacenter", "ip_active_blocks", "ip_network_active_blocks"], "event.request", notes);
            var r = loginEvent.Request;
            loginEvent = loginEvent with
            {
                Request = r with
                {
                    Ip = String(request, "ip", "event.request") ?? r.Ip,
                    UserAgent = String(request, "userAgent", "event.request") ?? r.UserAgent,
                    Language = String(request, "language", "event.request") ?? r.Language,
                    Device = String(request, "device", "event.request") ?? r.Device,
                    IpDatacenter = Bool(request, "ip_datacenter", "event.request"),
                    IpActiveBlocks = Int(request, "ip_active_blocks", "event.request"),
                    IpNetworkActiveBlocks = Int(request, "ip_network_active_blocks", "event.request"),
                },
            };
        }

        if (Object(root, "stats", "event") is { } stats)
        {
            Ignored(stats, ["is_new_user", "account_age_ms", "language_changed", "deny_count"], "event.stats", notes);
            if (stats.ContainsKey("deny_count"))
            {
                notes.Add("event.stats.deny_count is ignored: the engine counts this action's denials itself.");
            }

            loginEvent = loginEvent with
            {
                Stats = new LoginStats
                {
                    IsNewUser = Bool(stats, "is_new_user", "event.stats") ?? false,
                    AccountAgeMs = Long(stats, "account_age_ms", "event.stats"),
                    LanguageChanged = Bool(stats, "language_changed", "event.stats"),
                },
            };
        }

        return loginEvent;
    }

    /// <summary>The user after the application collected more fields (<c>--continue-with</c>): the same fields, merged over the user.</summary>
    public static LoginUser ApplyPatch(LoginUser user, JsonObject patch, List<string> notes)
    {
        if (patch.ContainsKey("user_id"))
        {
            throw new CliUsageException("--continue-with cannot change user_id; the paused login belongs to one user.");
        }

        var merged = ToJson(user);
        foreach (var (key, value) in patch)
        {
            merged[key] = value?.DeepClone();
        }

        return ParseUser(merged, notes, "--continue-with");
    }

    private static LoginUser ParseUser(JsonObject u, List<string> notes, string path = "event.user")
    {
        Ignored(u, UserFields, path, notes);
        var userId = String(u, "user_id", path);
        if (string.IsNullOrWhiteSpace(userId))
        {
            throw new CliUsageException($"{path}.user_id is required, e.g. \"user_66f1a2b3c4d5e6f7a8b9c0d1\".");
        }

        DateTimeOffset? createdAt = null;
        if (String(u, "created_at", path) is { } created)
        {
            createdAt = DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new CliUsageException($"{path}.created_at '{created}' is not a date; use ISO 8601, e.g. \"2026-05-12T10:30:00.000Z\".");
        }

        return new LoginUser
        {
            UserId = userId,
            Email = String(u, "email", path),
            EmailVerified = Bool(u, "email_verified", path) ?? false,
            Name = String(u, "name", path),
            Nickname = String(u, "nickname", path),
            GivenName = String(u, "given_name", path),
            FamilyName = String(u, "family_name", path),
            Picture = String(u, "picture", path),
            CreatedAt = createdAt,
            AppMetadata = Object(u, "app_metadata", path)?.DeepClone().AsObject(),
            UserMetadata = Object(u, "user_metadata", path)?.DeepClone().AsObject(),
        };
    }

    private static JsonObject ToJson(LoginUser user) => new()
    {
        ["user_id"] = user.UserId,
        ["email"] = user.Email,
        ["email_verified"] = user.EmailVerified,
        ["name"] = user.Name,
        ["nickname"] = user.Nickname,
        ["given_name"] = user.GivenName,
        ["family_name"] = user.FamilyName,
        ["picture"] = user.Picture,
        ["created_at"] = user.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["app_metadata"] = user.AppMetadata?.DeepClone(),
        ["user_metadata"] = user.UserMetadata?.DeepClone(),
    };

    private static void Ignored(JsonObject obj, string[] known, string path, List<string> notes)
    {
        var unknown = obj.Select(p => p.Key).Where(k => !known.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            notes.Add($"{path}: ignored {string.Join(", ", unknown)} (the emulator's event has {string.Join(", ", known)}).");
        }
    }

    private static JsonObject? Object(JsonObject obj, string name, string path) => obj[name] switch
    {
        null => null,
        JsonObject value => value,
        var other => throw Error($"{path}.{name}", "an object", other),
    };

    private static string? String(JsonObject obj, string name, string path) => obj[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => throw Error($"{path}.{name}", "a string", other),
    };

    private static bool? Bool(JsonObject obj, string name, string path) => obj[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        var other => throw Error($"{path}.{name}", "true or false", other),
    };

    private static long? Long(JsonObject obj, string name, string path) => obj[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) && n >= 0 => n,
        var other => throw Error($"{path}.{name}", "a whole number of at least 0", other),
    };

    private static int? Int(JsonObject obj, string name, string path) => Long(obj, name, path) switch
    {
        null => null,
        <= int.MaxValue and var n => (int)n,
        _ => throw new CliUsageException($"{path}.{name} is too large."),
    };

    private static CliUsageException Error(string field, string expected, JsonNode? actual) =>
        new($"{field} must be {expected}; the file has {CliInput.Kind(actual)}{(actual is JsonValue ? " " + actual.ToJsonString() : "")}.");
}
