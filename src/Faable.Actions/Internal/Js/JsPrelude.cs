using System.Security.Cryptography;
using System.Text;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Faable.Actions.Internal.Js;

/// <summary>
/// The web globals Node gives an action and Jint does not: <c>URL</c>, <c>URLSearchParams</c>, <c>TextEncoder</c>,
/// <c>TextDecoder</c>, <c>atob</c>, <c>btoa</c> and <c>crypto</c>. Written in JavaScript over a few host helpers,
/// parsed once, and evaluated only in engines whose action names one of them.
/// </summary>
internal static class JsPrelude
{
    /// <summary>Most random bytes one <c>crypto.getRandomValues</c> call fills (the Web Crypto quota).</summary>
    public const int MaxRandomBytes = 65_536;

    private static readonly Lazy<Prepared<Script>> s_script = new(() => Engine.PrepareScript(Source, "faable-prelude.js", strict: true));

    public static void Install(Engine engine, long maxBytes)
    {
        var script = s_script.Value;
        var factory = engine.Evaluate(in script);
        engine.Call(factory, JsValue.Undefined, [CreateHelpers(engine, maxBytes)]);
    }

    // The bytes become a script array (one reference per byte) and then a Uint8Array: both are counted.
    private static byte[] Utf8Encode(string text, long maxBytes)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var cost = 9.0 * count;
        return cost > maxBytes ? throw JsAllocationGuards.TooLarge("TextEncoder.encode", cost, maxBytes) : Encoding.UTF8.GetBytes(text);
    }

    private static JsObject CreateHelpers(Engine engine, long maxBytes)
    {
        var h = new JsObject(engine);
        h.FastSetDataProperty("atob", new ClrFunction(engine, "atob", (_, a) => Atob(engine, Arg(a, 0))));
        h.FastSetDataProperty("btoa", new ClrFunction(engine, "btoa", (_, a) => Btoa(engine, Arg(a, 0))));
        h.FastSetDataProperty("uuid", new ClrFunction(engine, "uuid", (_, _) => new JsString(Guid.NewGuid().ToString("D"))));
        h.FastSetDataProperty("randomBytes", new ClrFunction(engine, "randomBytes", (_, a) =>
        {
            var n = (int)Math.Clamp(a.Length > 0 && a[0].IsNumber() ? a[0].AsNumber() : 0, 0, MaxRandomBytes);
            return Bytes(engine, RandomNumberGenerator.GetBytes(n));
        }));
        h.FastSetDataProperty("utf8Encode", new ClrFunction(engine, "utf8Encode", (_, a) => Bytes(engine, Utf8Encode(Arg(a, 0), maxBytes))));
        h.FastSetDataProperty("utf8Decode", new ClrFunction(engine, "utf8Decode", (_, a) => new JsString(Utf8Decode(a.Length > 0 ? a[0] : JsValue.Undefined))));
        h.FastSetDataProperty("parseUrl", new ClrFunction(engine, "parseUrl", (_, a) => ParseUrl(engine, Arg(a, 0), a.Length > 1 && !a[1].IsUndefined() ? a[1].ToString() : null)));
        return h;
    }

    private static string Arg(JsValue[] args, int index) => index < args.Length ? args[index].ToString() : "undefined";

    private static JsArray Bytes(Engine engine, byte[] bytes)
    {
        var values = new JsValue[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            values[i] = JsNumber.Create(bytes[i]);
        }

        return new JsArray(engine, values);
    }

    private static string Utf8Decode(JsValue value)
    {
        if (!value.IsArray())
        {
            return "";
        }

        var array = value.AsArray();
        var bytes = new byte[array.Length];
        for (uint i = 0; i < array.Length; i++)
        {
            bytes[i] = (byte)(int)array[i].AsNumber();
        }

        // Invalid sequences become U+FFFD, as TextDecoder does without { fatal: true }.
        return Encoding.UTF8.GetString(bytes);
    }

    private static JsString Atob(Engine engine, string input)
    {
        // Forgiving base64 (WHATWG infra §4.6): ASCII whitespace is ignored and padding may be omitted.
        var cleaned = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (c is not (' ' or '\t' or '\n' or '\f' or '\r'))
            {
                cleaned.Append(c);
            }
        }

        if (cleaned.Length % 4 == 0 && cleaned.Length >= 2 && cleaned[^1] == '=')
        {
            cleaned.Length -= cleaned[^2] == '=' ? 2 : 1;
        }

        if (cleaned.Length % 4 == 1)
        {
            throw InvalidCharacter(engine, "atob: the string is not correctly encoded base64.");
        }

        cleaned.Append('=', (4 - (cleaned.Length % 4)) % 4);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(cleaned.ToString());
        }
        catch (FormatException)
        {
            throw InvalidCharacter(engine, "atob: the string is not correctly encoded base64.");
        }

        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return new JsString(new string(chars));
    }

    private static JsString Btoa(Engine engine, string input)
    {
        var bytes = new byte[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] > 0xFF)
            {
                throw InvalidCharacter(engine, "btoa: the string contains characters outside of the Latin1 range.");
            }

            bytes[i] = (byte)input[i];
        }

        return new JsString(Convert.ToBase64String(bytes));
    }

    private static JsObject ParseUrl(Engine engine, string input, string? baseUrl)
    {
        Uri? uri;
        if (baseUrl is null)
        {
            Uri.TryCreate(input, UriKind.Absolute, out uri);
        }
        else
        {
            uri = Uri.TryCreate(baseUrl, UriKind.Absolute, out var b) && Uri.TryCreate(b, input, out var combined) ? combined : null;
        }

        if (uri is null || (uri.IsFile && !input.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, $"Invalid URL: '{(input.Length > 100 ? input[..100] + "…" : input)}'");
        }

        var parts = new JsObject(engine);
        var userInfo = uri.UserInfo;
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        parts.FastSetDataProperty("protocol", uri.Scheme + ":");
        parts.FastSetDataProperty("username", colon < 0 ? userInfo : userInfo[..colon]);
        parts.FastSetDataProperty("password", colon < 0 ? "" : userInfo[(colon + 1)..]);
        parts.FastSetDataProperty("hostname", uri.Host);
        parts.FastSetDataProperty("port", uri.IsDefaultPort || uri.Port < 0 ? "" : uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        parts.FastSetDataProperty("pathname", uri.AbsolutePath);
        parts.FastSetDataProperty("search", uri.Query == "?" ? "" : uri.Query);
        parts.FastSetDataProperty("hash", uri.Fragment == "#" ? "" : uri.Fragment);
        parts.FastSetDataProperty("slashes", uri.OriginalString.Contains("//", StringComparison.Ordinal) || uri.Authority.Length > 0 ? JsBoolean.True : JsBoolean.False);
        return parts;
    }

    private static JavaScriptException InvalidCharacter(Engine engine, string message)
    {
        var error = (ObjectInstance)engine.Intrinsics.Error.Construct([new JsString(message)], JsValue.Undefined);
        error.Set("name", "InvalidCharacterError");
        return new JavaScriptException(error);
    }

    private const string Source = """
        (function (h) {
          const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false })
          const formEncode = s => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()~]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase())
          const formDecode = s => { const t = s.replace(/\+/g, ' '); try { return decodeURIComponent(t) } catch { return t } }

          class URLSearchParams {
            #list = []
            #onChange = null
            constructor(init) {
              if (init === undefined || init === null) return
              if (typeof init === 'object') {
                if (typeof init[Symbol.iterator] === 'function') {
                  for (const pair of init) {
                    const p = [...pair]
                    if (p.length !== 2) throw new TypeError('URLSearchParams: each pair needs exactly two items')
                    this.#list.push([String(p[0]), String(p[1])])
                  }
                } else {
                  for (const k of Object.keys(init)) this.#list.push([k, String(init[k])])
                }
                return
              }
              this.#parse(String(init))
            }
            #parse(s) {
              this.#list = []
              if (s.startsWith('?')) s = s.slice(1)
              for (const part of s.split('&')) {
                if (part === '') continue
                const i = part.indexOf('=')
                this.#list.push(i < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, i)), formDecode(part.slice(i + 1))])
              }
            }
            static _link(params, onChange, search) { params.#parse(search); params.#onChange = onChange }
            #changed() { if (this.#onChange) this.#onChange(this.toString()) }
            get size() { return this.#list.length }
            append(name, value) { this.#list.push([String(name), String(value)]); this.#changed() }
            delete(name, value) { name = String(name); this.#list = this.#list.filter(([k, v]) => k !== name || (value !== undefined && v !== String(value))); this.#changed() }
            get(name) { name = String(name); const e = this.#list.find(([k]) => k === name); return e ? e[1] : null }
            getAll(name) { name = String(name); return this.#list.filter(([k]) => k === name).map(([, v]) => v) }
            has(name, value) { name = String(name); return this.#list.some(([k, v]) => k === name && (value === undefined || v === String(value))) }
            set(name, value) {
              name = String(name); value = String(value)
              const i = this.#list.findIndex(([k]) => k === name)
              if (i < 0) this.#list.push([name, value])
              else { this.#list[i] = [name, value]; this.#list = this.#list.filter(([k], j) => k !== name || j === i) }
              this.#changed()
            }
            sort() { this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this.#changed() }
            forEach(callback, thisArg) { for (const [k, v] of this.#list) callback.call(thisArg, v, k, this) }
            *entries() { for (const [k, v] of this.#list) yield [k, v] }
            *keys() { for (const [k] of this.#list) yield k }
            *values() { for (const [, v] of this.#list) yield v }
            [Symbol.iterator]() { return this.entries() }
            toString() { return this.#list.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&') }
            get [Symbol.toStringTag]() { return 'URLSearchParams' }
          }
          const link = URLSearchParams._link
          delete URLSearchParams._link

          class URL {
            #p
            #params
            constructor(url, base) {
              this.#p = h.parseUrl(String(url), base === undefined ? undefined : String(base))
              this.#params = new URLSearchParams()
              link(this.#params, s => { this.#p.search = s === '' ? '' : '?' + s }, this.#p.search)
            }
            static canParse(url, base) { try { new URL(url, base); return true } catch { return false } }
            get protocol() { return this.#p.protocol }
            get username() { return this.#p.username }
            get password() { return this.#p.password }
            get hostname() { return this.#p.hostname }
            get port() { return this.#p.port }
            get host() { return this.#p.port ? this.#p.hostname + ':' + this.#p.port : this.#p.hostname }
            get origin() { return this.#p.hostname ? this.#p.protocol + '//' + this.host : 'null' }
            get pathname() { return this.#p.pathname }
            get search() { return this.#p.search }
            set search(value) { value = String(value); this.#p.search = value === '' || value === '?' ? '' : (value.startsWith('?') ? value : '?' + value); link(this.#params, s => { this.#p.search = s === '' ? '' : '?' + s }, this.#p.search) }
            get hash() { return this.#p.hash }
            set hash(value) { value = String(value); this.#p.hash = value === '' || value === '#' ? '' : (value.startsWith('#') ? value : '#' + value) }
            set pathname(value) { value = String(value); this.#p.pathname = value.startsWith('/') ? value : '/' + value }
            get searchParams() { return this.#params }
            get href() {
              const p = this.#p
              const auth = p.username ? p.username + (p.password ? ':' + p.password : '') + '@' : ''
              return p.protocol + (p.slashes ? '//' + auth + this.host : '') + p.pathname + p.search + p.hash
            }
            set href(value) { const next = new URL(value); this.#p = h.parseUrl(next.href); link(this.#params, s => { this.#p.search = s === '' ? '' : '?' + s }, this.#p.search) }
            toString() { return this.href }
            toJSON() { return this.href }
            get [Symbol.toStringTag]() { return 'URL' }
          }

          class TextEncoder {
            get encoding() { return 'utf-8' }
            encode(input = '') { return new Uint8Array(h.utf8Encode(String(input))) }
          }

          class TextDecoder {
            constructor(label = 'utf-8') {
              if (!['utf-8', 'utf8', 'unicode-1-1-utf-8'].includes(String(label).trim().toLowerCase())) {
                throw new RangeError(`TextDecoder: the encoding '${label}' is not supported; only utf-8 is`)
              }
            }
            get encoding() { return 'utf-8' }
            decode(input) {
              if (input === undefined) return ''
              const bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input)
              return h.utf8Decode(Array.from(bytes))
            }
          }

          const crypto = {
            randomUUID() { return h.uuid() },
            getRandomValues(array) {
              if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array) throw new TypeError('getRandomValues needs an integer typed array')
              if (array.byteLength > 65536) { const e = new Error('getRandomValues can fill at most 65536 bytes'); e.name = 'QuotaExceededError'; throw e }
              new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(h.randomBytes(array.byteLength))
              return array
            },
          }

          define('URLSearchParams', URLSearchParams)
          define('URL', URL)
          define('TextEncoder', TextEncoder)
          define('TextDecoder', TextDecoder)
          define('atob', function atob(data) { if (arguments.length === 0) throw new TypeError('atob needs 1 argument'); return h.atob(String(data)) })
          define('btoa', function btoa(data) { if (arguments.length === 0) throw new TypeError('btoa needs 1 argument'); return h.btoa(String(data)) })
          define('crypto', Object.freeze(crypto))
        })
        """;
}
