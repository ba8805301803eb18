using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Faable.AspNetCore.Internal;

/// <summary>Reads JWT claims exactly as sent: arrays become repeated claims, objects stay JSON.</summary>
internal static class JsonClaims
{
    public const string JsonValueType = "JSON";
    public const string JsonArrayValueType = "JSON_ARRAY";

    /// <summary>
    /// Parses a JOSE header or a claims set: UTF-8 JSON text (RFC 8259 §8.1) holding one object without duplicate member
    /// names, every string of which can be read. Returns <see langword="null"/> for anything else; never throws.
    /// </summary>
    public static JsonDocument? TryParseObject(byte[] utf8, int maxDepth)
    {
        // System.Text.Json leaves bytes inside strings unchecked until a string is read, and then throws.
        if (!Utf8.IsValid(utf8))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object ||
            (utf8.AsSpan().IndexOf("\\u"u8) >= 0 && !StringsReadable(root)) ||
            HasDuplicateMembers(root))
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    /// <summary>An escaped lone surrogate (<c>"\ud800"</c>) is valid JSON text but no string: reading it throws.</summary>
    private static bool StringsReadable(JsonElement element)
    {
        try
        {
            return Readable(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static bool Readable(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        _ = Readable(item);
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        _ = member.Name;
                        _ = Readable(member.Value);
                    }

                    return true;
                default:
                    return true;
            }
        }
    }

    /// <summary>RFC 7515 §4 / RFC 7519 §4: duplicate member names are rejected, so every reader sees one value.</summary>
    public static bool HasDuplicateMembers(JsonElement element)
    {
        // Up to 32 members whose names have no escape: compare hashes of the names' UTF-8 bytes, without making strings;
        // only equal hashes (or an escaped name, "\u0065xp" being "exp") lead to comparing the decoded names.
        const int InPlace = 32;
        Span<uint> hashes = stackalloc uint[InPlace];
        var count = 0;
        foreach (var member in element.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(member);
            if (count == InPlace || raw.Contains((byte)'\\'))
            {
                return HasDuplicateNames(element);
            }

            var hash = NameHash(raw);
            if (hashes[..count].Contains(hash))
            {
                return HasDuplicateNames(element);
            }

            hashes[count++] = hash;
        }

        return false;
    }

    // FNV-1a: member names are short, and a collision only costs the exact comparison.
    private static uint NameHash(ReadOnlySpan<byte> name)
    {
        var hash = 2166136261u;
        foreach (var b in name)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    private static bool HasDuplicateNames(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (!names.Add(member.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds the claims of one member. A string value equal to one of <paramref name="known"/> (the configured issuer or
    /// audiences) is that string instance, so that tokens held in the cache share it.
    /// </summary>
    public static void Add(List<ClaimData> claims, string type, JsonElement value, string[]? known = null)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                claims.Add(new ClaimData(type, GetString(value, known), ClaimValueTypes.String));
                break;
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                claims.Add(new ClaimData(type, raw, value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                claims.Add(new ClaimData(type, value.ValueKind == JsonValueKind.True ? "true" : "false", ClaimValueTypes.Boolean));
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
                    {
                        claims.Add(new ClaimData(type, item.GetRawText(), item.ValueKind == JsonValueKind.Array ? JsonArrayValueType : JsonValueType));
                    }
                    else
                    {
                        Add(claims, type, item, known);
                    }
                }

                break;
            case JsonValueKind.Object:
                claims.Add(new ClaimData(type, value.GetRawText(), JsonValueType));
                break;
            default:
                break;
        }
    }

    /// <summary>Reads a string value, returning the instance from <paramref name="known"/> when it is equal to one.</summary>
    public static string GetString(JsonElement value, string[]? known)
    {
        if (known is not null)
        {
            foreach (var candidate in known)
            {
                if (value.ValueEquals(candidate))
                {
                    return candidate;
                }
            }
        }

        return value.GetString()!;
    }

    /// <summary>
    /// Reads a member's name. The names tokens and headers usually carry are returned as shared instances instead of
    /// new strings; any other name (or one written with an escape) is read as usual.
    /// </summary>
    public static string Name(JsonProperty member)
    {
        const int Longest = 16;
        var raw = JsonMarshal.GetRawUtf8PropertyName(member);
        if (raw.Length <= Longest && !raw.Contains((byte)'\\'))
        {
            Span<char> chars = stackalloc char[Longest];
            if (Ascii.ToUtf16(raw, chars, out var written) == OperationStatus.Done && KnownName(chars[..written]) is { } known)
            {
                return known;
            }
        }

        return member.Name;
    }

    private static string? KnownName(ReadOnlySpan<char> name) => name switch
    {
        "iss" => "iss",
        "sub" => "sub",
        "aud" => "aud",
        "exp" => "exp",
        "nbf" => "nbf",
        "iat" => "iat",
        "jti" => "jti",
        "scope" => "scope",
        "permissions" => "permissions",
        "client_id" => "client_id",
        "account" => "account",
        "azp" => "azp",
        "gty" => "gty",
        "org_id" => "org_id",
        "sid" => "sid",
        "auth_time" => "auth_time",
        "amr" => "amr",
        "acr" => "acr",
        "roles" => "roles",
        "email" => "email",
        "email_verified" => "email_verified",
        "name" => "name",
        "nonce" => "nonce",
        "at_hash" => "at_hash",
        "c_hash" => "c_hash",
        "alg" => "alg",
        "kid" => "kid",
        "typ" => "typ",
        "crit" => "crit",
        "jku" => "jku",
        "jwk" => "jwk",
        "x5u" => "x5u",
        "x5c" => "x5c",
        _ => null,
    };

    public static string Printable(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var span = value.Length > 100 ? value.AsSpan(0, 100) : value.AsSpan();
        var chars = new char[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            chars[i] = span[i] is >= ' ' and <= '~' and not '"' and not '\\' ? span[i] : '?';
        }

        return new string(chars) + (value.Length > 100 ? "..." : string.Empty);
    }

    public static string Join(IEnumerable<string> values) =>
        string.Join(", ", values.Select(v => "'" + Printable(v) + "'"));

    public static string Format(double seconds) => seconds.ToString("0", CultureInfo.InvariantCulture);
}
