using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Actions.Events;
using Jint;
using Jint.Native;
using Jint.Runtime.Descriptors;

namespace Faable.Actions.Internal.Js;

/// <summary>Builds the script's <c>event</c> object with the names Faable uses (snake_case, <c>request.userAgent</c>).</summary>
internal static class JsEventMapper
{
    private const int MaxMetadataDepth = 64;

    public static JsObject Map(Engine engine, LoginEvent loginEvent, JsSourceFacts facts)
    {
        // The user is read by nearly every action and its metadata is checked as it is converted, so it is built now;
        // the other members are plain values, built on first read (most actions never touch them).
        var root = new JsObject(engine);
        root.FastSetDataProperty("user", MapUser(engine, loginEvent.User));
        var state = new EventState(engine, loginEvent, facts);
        root.FastSetProperty("client", PropertyDescriptor.CreateLazy(state, static s => MapClient(s.Engine, s.Event.Client), PropertyFlag.ConfigurableEnumerableWritable));
        root.FastSetProperty("connection", PropertyDescriptor.CreateLazy(state, static s => MapConnection(s.Engine, s.Event.Connection), PropertyFlag.ConfigurableEnumerableWritable));
        root.FastSetProperty("request", PropertyDescriptor.CreateLazy(state, static s => MapRequest(s.Engine, s.Event.Request, s.Facts), PropertyFlag.ConfigurableEnumerableWritable));
        root.FastSetProperty("stats", PropertyDescriptor.CreateLazy(state, static s => MapStats(s.Engine, s.Event.Stats), PropertyFlag.ConfigurableEnumerableWritable));
        return root;
    }

    private sealed record EventState(Engine Engine, LoginEvent Event, JsSourceFacts Facts);

    private static JsObject MapClient(Engine engine, LoginClient c)
    {
        var client = new JsObject(engine);
        client.FastSetDataProperty("client_id", c.ClientId);
        client.FastSetDataProperty("name", c.Name);
        return client;
    }

    private static JsObject MapConnection(Engine engine, LoginConnection c)
    {
        var connection = new JsObject(engine);
        connection.FastSetDataProperty("name", c.Name);
        connection.FastSetDataProperty("strategy", c.Strategy);
        return connection;
    }

    private static JsObject MapRequest(Engine engine, LoginRequest r, JsSourceFacts facts)
    {
        var request = new JsObject(engine);
        request.FastSetDataProperty("ip", r.Ip);
        request.FastSetDataProperty("userAgent", r.UserAgent);
        request.FastSetDataProperty("language", r.Language);
        request.FastSetDataProperty("device", r.Device);

        // Faable computes the ip_* fields only for actions whose source names them; elsewhere they are undefined.
        if (facts.NamesIpDatacenter && r.IpDatacenter is { } datacenter)
        {
            request.FastSetDataProperty("ip_datacenter", datacenter ? JsBoolean.True : JsBoolean.False);
        }

        if (facts.NamesIpActiveBlocks && r.IpActiveBlocks is { } blocks)
        {
            request.FastSetDataProperty("ip_active_blocks", JsNumber.Create(blocks));
        }

        if (facts.NamesIpNetworkActiveBlocks && r.IpNetworkActiveBlocks is { } networkBlocks)
        {
            request.FastSetDataProperty("ip_network_active_blocks", JsNumber.Create(networkBlocks));
        }

        return request;
    }

    private static JsObject MapStats(Engine engine, LoginStats s)
    {
        var stats = new JsObject(engine);
        stats.FastSetDataProperty("is_new_user", s.IsNewUser ? JsBoolean.True : JsBoolean.False);
        if (s.AccountAgeMs is { } age)
        {
            stats.FastSetDataProperty("account_age_ms", JsNumber.Create(age));
        }

        if (s.LanguageChanged is { } changed)
        {
            stats.FastSetDataProperty("language_changed", changed ? JsBoolean.True : JsBoolean.False);
        }

        if (s.DenyCount is { } count)
        {
            stats.FastSetDataProperty("deny_count", JsNumber.Create(count));
        }

        return stats;
    }

    private static JsObject MapUser(Engine engine, LoginUser u)
    {
        var user = new JsObject(engine);
        user.FastSetDataProperty("user_id", u.UserId);
        SetIfPresent(user, "email", u.Email);
        user.FastSetDataProperty("email_verified", u.EmailVerified ? JsBoolean.True : JsBoolean.False);
        SetIfPresent(user, "name", u.Name);
        SetIfPresent(user, "nickname", u.Nickname);
        SetIfPresent(user, "given_name", u.GivenName);
        SetIfPresent(user, "family_name", u.FamilyName);
        SetIfPresent(user, "picture", u.Picture);
        if (u.CreatedAt is { } created)
        {
            user.FastSetDataProperty("created_at", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }

        user.FastSetDataProperty("app_metadata", u.AppMetadata is null ? new JsObject(engine) : FromJson(engine, u.AppMetadata, 0));
        user.FastSetDataProperty("user_metadata", u.UserMetadata is null ? new JsObject(engine) : FromJson(engine, u.UserMetadata, 0));
        return user;
    }

    private static void SetIfPresent(JsObject target, string name, string? value)
    {
        if (value is not null)
        {
            target.FastSetDataProperty(name, value);
        }
    }

    /// <summary>Converts JSON (metadata, fetch bodies handled elsewhere) into plain script values.</summary>
    public static JsValue FromJson(Engine engine, JsonNode? node, int depth)
    {
        if (depth > MaxMetadataDepth)
        {
            throw new InvalidOperationException($"metadata nests deeper than {MaxMetadataDepth} levels.");
        }

        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonObject obj:
                var o = new JsObject(engine);
                foreach (var (key, value) in obj)
                {
                    o.FastSetDataProperty(key, FromJson(engine, value, depth + 1));
                }

                return o;
            case JsonArray array:
                var items = new JsValue[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = FromJson(engine, array[i], depth + 1);
                }

                return new JsArray(engine, items);
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => new JsString(value.GetValue<string>()),
                    JsonValueKind.Number => JsNumber.Create(value.GetValue<double>()),
                    JsonValueKind.True => JsBoolean.True,
                    JsonValueKind.False => JsBoolean.False,
                    _ => JsValue.Null,
                };
            default:
                return JsValue.Undefined;
        }
    }
}
