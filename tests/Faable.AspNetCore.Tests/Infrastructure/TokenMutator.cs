using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>One mutated token: its text, how it was made, and whether it was signed again with the tenant's key.</summary>
internal sealed record Mutant(int Index, string Token, string Operator, bool Resigned);

/// <summary>
/// Seeded mutations of valid tokens: bit flips, character edits, truncation, segment swaps and grafts, invalid UTF-8,
/// and JSON edits (huge numbers, deep nesting, duplicate members, lone surrogates, odd types) signed again with the real key.
/// The same seed gives the same mutants, so a failure replays.
/// </summary>
internal sealed class TokenMutator(int seed, TestKey key)
{
    private const string Alphabet = "ABCMQZabcmqz0189-_=+/. !\"{}%~";

    private static readonly string[] ClaimNames = ["exp", "nbf", "iat", "iss", "aud", "scope", "permissions", "sub", "client_id", "nonce", "azp", "at_hash", "x"];
    private static readonly string[] HeaderNames = ["alg", "kid", "typ", "crit", "jku", "jwk", "b64"];

    private readonly Random _random = new(seed);

    public List<Mutant> Create(IReadOnlyList<string> validTokens, int count)
    {
        var mutants = new List<Mutant>(count);
        for (var i = 0; i < count; i++)
        {
            var token = validTokens[_random.Next(validTokens.Count)];
            var (text, op, resigned) = Mutate(token, validTokens);
            if (_random.Next(8) == 0 && !resigned)
            {
                // Now and then a second edit on top of the first.
                var (again, op2, _) = MutateUnsigned(text, validTokens);
                (text, op) = (again, op + " + " + op2);
            }

            mutants.Add(new Mutant(i, text, op, resigned));
        }

        return mutants;
    }

    private (string Token, string Operator, bool Resigned) Mutate(string token, IReadOnlyList<string> others) =>
        _random.Next(10) switch
        {
            < 5 => MutateUnsigned(token, others),
            < 9 => EditJsonAndSign(token),
            _ => InvalidUtf8(token, resign: true),
        };

    private (string, string, bool) MutateUnsigned(string token, IReadOnlyList<string> others)
    {
        switch (_random.Next(7))
        {
            case 0:
            {
                var parts = token.Split('.');
                var segment = _random.Next(Math.Min(parts.Length, 3));
                var bytes = Decode(parts[segment]);
                if (bytes is null || bytes.Length == 0)
                {
                    return Truncate(token);
                }

                var at = _random.Next(bytes.Length);
                var bit = _random.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                parts[segment] = TestKey.Base64Url(bytes);
                return (string.Join('.', parts), $"bit flip segment {segment} byte {at} bit {bit}", false);
            }

            case 1:
            {
                var at = _random.Next(token.Length);
                var c = Alphabet[_random.Next(Alphabet.Length)];
                return (token[..at] + c + token[(at + 1)..], $"char {at} := '{c}'", false);
            }

            case 2:
                return Truncate(token);
            case 3:
            {
                var parts = token.Split('.');
                if (parts.Length < 3)
                {
                    return Truncate(token);
                }

                var (a, b) = (_random.Next(3), _random.Next(3));
                (parts[a], parts[b]) = (parts[b], parts[a]);
                return (string.Join('.', parts), $"swap segments {a} and {b}", false);
            }

            case 4:
            {
                // A segment of another valid token: its signature is real, but not over these bytes.
                var parts = token.Split('.');
                var other = others[_random.Next(others.Count)].Split('.');
                var segment = _random.Next(Math.Min(3, Math.Min(parts.Length, other.Length)));
                parts[segment] = other[segment];
                return (string.Join('.', parts), $"graft segment {segment}", false);
            }

            case 5:
                return _random.Next(3) switch
                {
                    0 => (token + "." + token.Split('.')[^1], "extra segment", false),
                    1 => (token.Replace(".", "..", StringComparison.Ordinal), "empty segments", false),
                    _ => (token + new string('=', 1 + _random.Next(3)), "padding", false),
                };
            default:
                return InvalidUtf8(token, resign: false);
        }
    }

    private (string, string, bool) Truncate(string token)
    {
        var length = _random.Next(1, token.Length);
        return (token[..length], $"truncate to {length}", false);
    }

    private (string, string, bool) InvalidUtf8(string token, bool resign)
    {
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return Truncate(token + "." + token);
        }

        var segment = _random.Next(2);
        var bytes = Decode(parts[segment]) ?? [];
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];
        var insert = bad[_random.Next(bad.Length)];

        // Inside a string value (after an opening quote) or anywhere.
        var quote = Array.IndexOf(bytes, (byte)'"', _random.Next(Math.Max(1, bytes.Length)));
        var at = quote >= 0 && _random.Next(2) == 0 ? quote + 1 : _random.Next(bytes.Length + 1);
        var mutated = bytes[..at].Concat(insert).Concat(bytes[at..]).ToArray();
        var op = $"invalid UTF-8 {Convert.ToHexString(insert)} in segment {segment} at {at}";
        if (!resign)
        {
            parts[segment] = TestKey.Base64Url(mutated);
            return (string.Join('.', parts), op, false);
        }

        return segment == 0
            ? (Sign(mutated, Decode(parts[1]) ?? []), op + ", signed", true)
            : (Sign(Decode(parts[0]) ?? [], mutated), op + ", signed", true);
    }

    private (string, string, bool) EditJsonAndSign(string token)
    {
        var parts = token.Split('.');
        var editHeader = _random.Next(4) == 0;
        var members = Members(Decode(parts[editHeader ? 0 : 1])!);
        var names = editHeader ? HeaderNames : ClaimNames;
        var name = _random.Next(6) == 0 ? RandomName() : names[_random.Next(names.Length)];
        string op;
        switch (_random.Next(4))
        {
            case 0:
                members.RemoveAll(m => m.Name == name);
                op = $"remove {name}";
                break;
            case 1:
                // A duplicate member: the second spelling of the name appended.
                var value = RandomValue(name);
                members.Add((name, value));
                op = $"append {name}={Short(value)}";
                break;
            default:
                var replacement = RandomValue(name);
                var index = members.FindIndex(m => m.Name == name);
                if (index >= 0)
                {
                    members[index] = (name, replacement);
                }
                else
                {
                    members.Add((name, replacement));
                }

                op = $"set {name}={Short(replacement)}";
                break;
        }

        var json = "{" + string.Join(',', members.Select(m => JsonSerializer.Serialize(m.Name) + ":" + m.Raw)) + "}";
        var bytes = Encoding.UTF8.GetBytes(json);
        var signed = editHeader ? Sign(bytes, Decode(parts[1])!) : Sign(Decode(parts[0])!, bytes);
        return (signed, (editHeader ? "header " : "payload ") + op + ", signed", true);
    }

    private string RandomValue(string name)
    {
        var now = ApiHost.Start.ToUnixTimeSeconds();
        return _random.Next(16) switch
        {
            0 => "1e308",
            1 => "1e400",
            2 => "-1e400",
            3 => "123456789012345678901234567890",
            4 => (now + _random.Next(-7200, 7200)).ToString(CultureInfo.InvariantCulture),
            5 => ((now + 3600) * 1000).ToString(CultureInfo.InvariantCulture),
            6 => "-0",
            7 => Nested(_random.Next(1, 200)),
            8 => "\"\\ud800\"",
            9 => "\"" + new string('a', _random.Next(0, 3000)) + "\"",
            10 => "null",
            11 => "[\"read:orders\",1,{\"a\":[]}]",
            12 => "{\"" + name + "\":\"read:orders\"}",
            13 => name switch
            {
                "alg" => "\"" + new[] { "none", "HS256", "RS256", "rs256", "PS256", "" }[_random.Next(6)] + "\"",
                "kid" => "\"" + new[] { "key-0", "key-1", "", "../x", "key-0 " }[_random.Next(5)] + "\"",
                "aud" => "[\"https://orders.example.com\",\"https://orders.example.com/\"]",
                "scope" => "\"read:orders write:orders\"",
                _ => "true",
            },
            14 => "\"\\u0000\\ud83d\\ude00\"",
            _ => "0.5",
        };
    }

    private string Nested(int depth) =>
        _random.Next(2) == 0
            ? new string('[', depth) + "1" + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private string RandomName() => "c" + _random.Next(1000).ToString(CultureInfo.InvariantCulture);

    private static string Short(string value) => value.Length > 40 ? value[..40] + $"...({value.Length})" : value;

    private static List<(string Name, string Raw)> Members(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(m => (m.Name, m.Value.GetRawText()))];
    }

    private string Sign(byte[] header, byte[] payload)
    {
        var input = TestKey.Base64Url(header) + "." + TestKey.Base64Url(payload);
        return input + "." + TestKey.Base64Url(key.Rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static byte[]? Decode(string segment)
    {
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
