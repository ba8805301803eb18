using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Actions.Events;

namespace Faable.Actions.Internal;

/// <summary>
/// The <c>event</c> of the platform contract as JSON (snake_case, <c>request.userAgent</c>), read and written with the
/// same field names the scripts see. Reading is strict: a field of the wrong type or a field the contract does not
/// define is an error naming its path, never silently dropped.
/// </summary>
internal static class LoginEventJson
{
    private const int MaxDepth = 64;

    private static readonly string[] s_userFields = ["user_id", "email", "email_verified", "name", "nickname", "given_name", "family_name", "picture", "created_at", "app_metadata", "user_metadata"];
    private static readonly string[] s_requestFields = ["ip", "userAgent", "language", "device", "ip_datacenter", "ip_active_blocks", "ip_network_active_blocks"];
    private static readonly string[] s_statsFields = ["is_new_user", "account_age_ms", "language_changed", "deny_count"];

    public static LoginEvent Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The login event is not valid JSON: {ex.Message}", ex);
        }

        var e = Object(root, "event", required: true)!;
        Known(e, "event", ["user", "client", "connection", "request", "stats"]);

        var u = Object(e["user"], "event.user", required: true)!;
        Known(u, "event.user", s_userFields);
        var user = new LoginUser
        {
            UserId = String(u, "event.user", "user_id", required: true)!,
            Email = String(u, "event.user", "email"),
            EmailVerified = Bool(u, "event.user", "email_verified") ?? false,
            Name = String(u, "event.user", "name"),
            Nickname = String(u, "event.user", "nickname"),
            GivenName = String(u, "event.user", "given_name"),
            FamilyName = String(u, "event.user", "family_name"),
            Picture = String(u, "event.user", "picture"),
            CreatedAt = Date(u, "event.user", "created_at"),
            AppMetadata = Object(u["app_metadata"], "event.user.app_metadata", required: false)?.DeepClone().AsObject(),
            UserMetadata = Object(u["user_metadata"], "event.user.user_metadata", required: false)?.DeepClone().AsObject(),
        };

        var loginEvent = new LoginEvent { User = user };
        if (Object(e["client"], "event.client", required: false) is { } c)
        {
            Known(c, "event.client", ["client_id", "name"]);
            var clientId = String(c, "event.client", "client_id", required: true)!;
            loginEvent = loginEvent with { Client = new LoginClient(clientId, String(c, "event.client", "name") ?? clientId) };
        }

        if (Object(e["connection"], "event.connection", required: false) is { } k)
        {
            Known(k, "event.connection", ["name", "strategy"]);
            var name = String(k, "event.connection", "name", required: true)!;
            loginEvent = loginEvent with { Connection = new LoginConnection(name, String(k, "event.connection", "strategy") ?? name) };
        }

        if (Object(e["request"], "event.request", required: false) is { } r)
        {
            Known(r, "event.request", s_requestFields);
            var defaults = new LoginRequest();
            loginEvent = loginEvent with
            {
                Request = new LoginRequest
                {
                    Ip = String(r, "event.request", "ip") ?? defaults.Ip,
                    UserAgent = String(r, "event.request", "userAgent") ?? defaults.UserAgent,
                    Language = String(r, "event.request", "language") ?? defaults.Language,
                    Device = String(r, "event.request", "device") ?? defaults.Device,
                    IpDatacenter = Bool(r, "event.request", "ip_datacenter"),
                    IpActiveBlocks = (int?)Integer(r, "event.request", "ip_active_blocks", int.MaxValue),
                    IpNetworkActiveBlocks = (int?)Integer(r, "event.request", "ip_network_active_blocks", int.MaxValue),
                },
            };
        }

        if (Object(e["stats"], "event.stats", required: false) is { } s)
        {
            Known(s, "event.stats", s_statsFields);
            loginEvent = loginEvent with
            {
                Stats = new LoginStats
                {
                    IsNewUser = Bool(s, "event.stats", "is_new_user") ?? false,
                    AccountAgeMs = Integer(s, "event.stats", "account_age_ms", long.MaxValue),
                    LanguageChanged = Bool(s, "event.stats", "language_changed"),
                    DenyCount = (int?)Integer(s, "event.stats", "deny_count", int.MaxValue),
                },
            };
        }

        return loginEvent;
    }

    public static string Write(LoginEvent loginEvent, bool indented)
    {
        ArgumentNullException.ThrowIfNull(loginEvent);
        var u = loginEvent.User;
        var user = new JsonObject { ["user_id"] = u.UserId };
        Add(user, "email", u.Email);
        user["email_verified"] = u.EmailVerified;
        Add(user, "name", u.Name);
        Add(user, "nickname", u.Nickname);
        Add(user, "given_name", u.GivenName);
        Add(user, "family_name", u.FamilyName);
        Add(user, "picture", u.Picture);
        Add(user, "created_at", u.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        user["app_metadata"] = u.AppMetadata?.DeepClone() ?? new JsonObject();
        user["user_metadata"] = u.UserMetadata?.DeepClone() ?? new JsonObject();

        var r = loginEvent.Request;
        var request = new JsonObject { ["ip"] = r.Ip, ["userAgent"] = r.UserAgent, ["language"] = r.Language, ["device"] = r.Device };
        Add(request, "ip_datacenter", r.IpDatacenter);
        Add(request, "ip_active_blocks", r.IpActiveBlocks);
        Add(request, "ip_network_active_blocks", r.IpNetworkActiveBlocks);

        var st = loginEvent.Stats;
        var stats = new JsonObject { ["is_new_user"] = st.IsNewUser };
        Add(stats, "account_age_ms", st.AccountAgeMs);
        Add(stats, "language_changed", st.LanguageChanged);
        Add(stats, "deny_count", st.DenyCount);

        var root = new JsonObject
        {
            ["user"] = user,
            ["client"] = new JsonObject { ["client_id"] = loginEvent.Client.ClientId, ["name"] = loginEvent.Client.Name },
            ["connection"] = new JsonObject { ["name"] = loginEvent.Connection.Name, ["strategy"] = loginEvent.Connection.Strategy },
            ["request"] = request,
            ["stats"] = stats,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
    }

    private static void Add(JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    private static void Known(JsonObject value, string path, string[] fields)
    {
        foreach (var (name, _) in value)
        {
            if (!fields.Contains(name, StringComparer.Ordinal))
            {
                throw new FormatException($"{path}.{name} is not a field of the Faable login event; {path} has: {string.Join(", ", fields)}.");
            }
        }
    }

    private static JsonObject? Object(JsonNode? node, string path, bool required) => node switch
    {
        JsonObject o => o,
        null when !required => null,
        null => throw new FormatException($"{path} is required and must be an object."),
        _ => throw new FormatException($"{path} must be an object, not {Kind(node)}."),
    };

    private static string? String(JsonObject parent, string path, string name, bool required = false)
    {
        var node = parent[name];
        if (node is null)
        {
            return required ? throw new FormatException($"{path}.{name} is required and must be a non-empty string.") : null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>();
            return required && s.Length == 0 ? throw new FormatException($"{path}.{name} must not be empty.") : s;
        }

        throw new FormatException($"{path}.{name} must be a string, not {Kind(node)}.");
    }

    private static bool? Bool(JsonObject parent, string path, string name) => parent[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        var other => throw new FormatException($"{path}.{name} must be true or false, not {Kind(other)}."),
    };

    private static long? Integer(JsonObject parent, string path, string name, long max)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= 0 && n <= max)
        {
            return n;
        }

        throw new FormatException($"{path}.{name} must be a whole number from 0 to {max}, not {node.ToJsonString()}.");
    }

    private static DateTimeOffset? Date(JsonObject parent, string path, string name)
    {
        var text = String(parent, path, name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new FormatException($"{path}.{name} must be an ISO 8601 date-time such as '2026-01-31T09:30:00.000Z', not '{(text.Length > 40 ? text[..40] + "…" : text)}'.");
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
