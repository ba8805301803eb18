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
/// <c>TextDecoder</c>, <c>atob</c>, <c>btoa</c>, <c>crypto</c>, <c>structuredClone</c> and <c>DOMException</c>. Written in JavaScript over a few host helpers,
/// parsed once, and evaluated only in engines whose action names one of them.
/// </summary>
internal static class JsPrelude
{
    /// <summary>Most random bytes one <c>crypto.getRandomValues</c> call fills (the Web Crypto quota).</summary>
    public const int MaxRandomBytes = 65_536;

    private static readonly System.Globalization.IdnMapping s_idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    private static readonly Lazy<Prepared<Script>> s_script = new(() => Engine.PrepareScript(Source, "faable-prelude.js", strict: true));

    public static void Install(Engine engine)
    {
        var script = s_script.Value;
        var factory = engine.Evaluate(in script);
        engine.Call(factory, JsValue.Undefined, [CreateHelpers(engine)]);
    }

    private static JsObject CreateHelpers(Engine engine)
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
        h.FastSetDataProperty("utf8Encode", new ClrFunction(engine, "utf8Encode", (_, a) => Bytes(engine, Encoding.UTF8.GetBytes(Arg(a, 0)))));
        h.FastSetDataProperty("utf8Decode", new ClrFunction(engine, "utf8Decode", (_, a) => new JsString(Utf8Decode(a.Length > 0 ? a[0] : JsValue.Undefined))));
        h.FastSetDataProperty("toAscii", new ClrFunction(engine, "toAscii", (_, a) => ToAscii(Arg(a, 0))));
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

    // UTS #46 ToASCII for a host with non-ASCII characters (URL Standard "domain to ASCII"); null when it fails.
    private static JsValue ToAscii(string domain)
    {
        try
        {
            return new JsString(s_idn.GetAscii(domain).ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return JsValue.Null;
        }
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
          // WHATWG URL Standard: the basic URL parser, host parsing and the serializers, as Node implements them.
          const SPECIAL = { 'ftp:': 21, 'file:': null, 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 }
          const isSpecialScheme = s => Object.prototype.hasOwnProperty.call(SPECIAL, s + ':')
          const C0 = c => c < 0x20 || c > 0x7e
          const FRAGMENT = c => C0(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60
          const QUERY = c => C0(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e
          const SPECIAL_QUERY = c => QUERY(c) || c === 0x27
          const PATH = c => QUERY(c) || c === 0x3f || c === 0x5e || c === 0x60 || c === 0x7b || c === 0x7d
          const USERINFO = c => PATH(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 || (c >= 0x5b && c <= 0x5d) || c === 0x7c
          const hex2 = b => '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase()
          const utf8 = cp => cp < 0x80 ? [cp] : cp < 0x800 ? [0xc0 | cp >> 6, 0x80 | cp & 63]
            : cp < 0x10000 ? [0xe0 | cp >> 12, 0x80 | cp >> 6 & 63, 0x80 | cp & 63]
            : [0xf0 | cp >> 18, 0x80 | cp >> 12 & 63, 0x80 | cp >> 6 & 63, 0x80 | cp & 63]
          const codePoints = s => { const out = []; for (const ch of s) { let cp = ch.codePointAt(0); if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; out.push(cp) } return out }
          const encodeCp = (cp, set) => set(cp) ? utf8(cp).map(hex2).join('') : String.fromCodePoint(cp)
          const encode = (s, set) => codePoints(s).map(cp => encodeCp(cp, set)).join('')
          const isHex = c => /^[0-9A-Fa-f]$/.test(c)
          const percentDecodeBytes = s => {
            const bytes = []
            for (const cp of codePoints(s)) bytes.push(...utf8(cp))
            const out = []
            for (let i = 0; i < bytes.length; i++) {
              if (bytes[i] === 0x25 && i + 2 < bytes.length && isHex(String.fromCharCode(bytes[i + 1])) && isHex(String.fromCharCode(bytes[i + 2]))) {
                out.push(parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16)); i += 2
              } else out.push(bytes[i])
            }
            return out
          }
          const percentDecode = s => h.utf8Decode(percentDecodeBytes(s))
          const failure = () => new TypeError('Invalid URL')

          const FORBIDDEN_HOST = /[\u0000\t\n\r #/:<>?@[\\\]^|]/
          const FORBIDDEN_DOMAIN = /[\u0000-\u001f #%/:<>?@[\\\]^|\u007f]/
          const parseIPv4Number = s => {
            if (s === '') return NaN
            let radix = 10
            if (s.length >= 2 && (s.startsWith('0x') || s.startsWith('0X'))) { s = s.slice(2); radix = 16 }
            else if (s.length >= 2 && s[0] === '0') { s = s.slice(1); radix = 8 }
            if (s === '') return 0
            const ok = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/
            return ok.test(s) ? parseInt(s, radix) : NaN
          }
          const endsInANumber = s => {
            const parts = s.split('.')
            if (parts[parts.length - 1] === '') { if (parts.length === 1) return false; parts.pop() }
            const last = parts[parts.length - 1]
            return (last !== '' && /^[0-9]+$/.test(last)) || !Number.isNaN(parseIPv4Number(last))
          }
          const parseIPv4 = (s, input) => {
            const parts = s.split('.')
            if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop()
            if (parts.length > 4) throw failure(input)
            const numbers = parts.map(p => { const n = parseIPv4Number(p); if (Number.isNaN(n)) throw failure(input); return n })
            for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) throw failure(input)
            if (numbers[numbers.length - 1] >= 256 ** (5 - numbers.length)) throw failure(input)
            let ipv4 = numbers[numbers.length - 1]
            for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i)
            return ipv4
          }
          const serializeIPv4 = n => [n >>> 24, n >>> 16 & 255, n >>> 8 & 255, n & 255].join('.')
          const parseIPv6 = (s, input) => {
            const address = [0, 0, 0, 0, 0, 0, 0, 0]
            let piece = 0, compress = null, p = 0
            const c = () => s[p]
            if (c() === ':') { if (s[p + 1] !== ':') throw failure(input); p += 2; compress = ++piece }
            while (p < s.length) {
              if (piece === 8) throw failure(input)
              if (c() === ':') { if (compress !== null) throw failure(input); p++; compress = ++piece; continue }
              let value = 0, length = 0
              while (length < 4 && p < s.length && isHex(c())) { value = value * 16 + parseInt(c(), 16); p++; length++ }
              if (c() === '.') {
                if (length === 0) throw failure(input)
                p -= length
                if (piece > 6) throw failure(input)
                let numbersSeen = 0
                while (p < s.length) {
                  let v4 = null
                  if (numbersSeen > 0) { if (c() === '.' && numbersSeen < 4) p++; else throw failure(input) }
                  if (!/[0-9]/.test(c() ?? '')) throw failure(input)
                  while (/[0-9]/.test(c() ?? '')) {
                    const n = Number(c())
                    if (v4 === null) v4 = n; else if (v4 === 0) throw failure(input); else v4 = v4 * 10 + n
                    if (v4 > 255) throw failure(input)
                    p++
                  }
                  address[piece] = address[piece] * 256 + v4
                  numbersSeen++
                  if (numbersSeen === 2 || numbersSeen === 4) piece++
                }
                if (numbersSeen !== 4) throw failure(input)
                break
              } else if (c() === ':') { p++; if (p >= s.length) throw failure(input) }
              else if (p < s.length) throw failure(input)
              address[piece++] = value
            }
            if (compress !== null) {
              let swaps = piece - compress
              piece = 7
              while (piece !== 0 && swaps > 0) { const t = address[compress + swaps - 1]; address[compress + swaps - 1] = address[piece]; address[piece] = t; piece--; swaps-- }
            } else if (piece !== 8) throw failure(input)
            return address
          }
          const serializeIPv6 = a => {
            let best = -1, bestLen = 1
            for (let i = 0; i < 8;) { if (a[i] !== 0) { i++; continue } let j = i; while (j < 8 && a[j] === 0) j++; if (j - i > bestLen) { best = i; bestLen = j - i } i = j }
            let out = '', ignore0 = false
            for (let i = 0; i < 8; i++) {
              if (ignore0 && a[i] === 0) continue
              ignore0 = false
              if (best === i) { out += i === 0 ? '::' : ':'; ignore0 = true; continue }
              out += a[i].toString(16)
              if (i !== 7) out += ':'
            }
            return '[' + out + ']'
          }
          const parseHost = (s, special, input) => {
            if (s.startsWith('[')) { if (!s.endsWith(']')) throw failure(input); return serializeIPv6(parseIPv6(s.slice(1, -1), input)) }
            if (!special) { if (FORBIDDEN_HOST.test(s.replace(/%/g, ''))) throw failure(input); return encode(s, C0) }
            const domain = percentDecode(s)
            let ascii = /^[\u0000-\u007f]*$/.test(domain) ? domain.toLowerCase() : h.toAscii(domain)
            if (ascii === null || ascii === '' || FORBIDDEN_DOMAIN.test(ascii)) throw failure(input)
            if (endsInANumber(ascii)) return serializeIPv4(parseIPv4(ascii, input))
            return ascii
          }

          const isWindowsLetter = (s, normalized) => s.length === 2 && /[A-Za-z]/.test(s[0]) && (s[1] === ':' || (!normalized && s[1] === '|'))
          const startsWithWindowsLetter = (cps, p) => cps.length - p >= 2 && isWindowsLetter(String.fromCodePoint(cps[p], cps[p + 1]), false)
            && (cps.length - p === 2 || [0x2f, 0x5c, 0x3f, 0x23].includes(cps[p + 2]))
          const shortenPath = url => {
            if (url.scheme === 'file' && url.path.length === 1 && isWindowsLetter(url.path[0], true)) return
            url.path.pop()
          }
          const isSingleDot = s => s === '.' || s.toLowerCase() === '%2e'
          const isDoubleDot = s => ['..', '.%2e', '%2e.', '%2e%2e'].includes(s.toLowerCase())

          // The basic URL parser (§4.4); `override` is a state override used by the setters.
          function basicParse(input, base, url, override) {
            if (!url) {
              url = { scheme: '', username: '', password: '', host: null, port: null, path: [], opaque: false, query: null, fragment: null }
              input = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
            }
            input = input.replace(/[\t\n\r]/g, '')
            const original = input
            let state = override || 'scheme start', buffer = '', atSeen = false, insideBrackets = false, passwordTokenSeen = false
            const cps = codePoints(input)
            for (let p = 0; p <= cps.length; p++) {
              const cp = cps[p]
              const c = cp === undefined ? '' : String.fromCodePoint(cp)
              const special = isSpecialScheme(url.scheme)
              switch (state) {
                case 'scheme start':
                  if (/[A-Za-z]/.test(c)) { buffer += c.toLowerCase(); state = 'scheme' }
                  else if (!override) { state = 'no scheme'; p-- }
                  else throw failure(original)
                  break
                case 'scheme':
                  if (/[A-Za-z0-9+\-.]/.test(c) && c !== '') buffer += c.toLowerCase()
                  else if (c === ':') {
                    if (override) {
                      if (isSpecialScheme(url.scheme) !== isSpecialScheme(buffer)) return url
                      if ((url.username || url.password || url.port !== null) && buffer === 'file') return url
                      if (url.scheme === 'file' && url.host === '') return url
                    }
                    url.scheme = buffer
                    if (override) { if (url.port === SPECIAL[url.scheme + ':']) url.port = null; return url }
                    buffer = ''
                    if (url.scheme === 'file') state = 'file'
                    else if (isSpecialScheme(url.scheme) && base && base.scheme === url.scheme) state = 'special relative or authority'
                    else if (isSpecialScheme(url.scheme)) state = 'special authority slashes'
                    else if (cps[p + 1] === 0x2f) { state = 'path or authority'; p++ }
                    else { url.opaque = true; url.path = ''; state = 'opaque path' }
                  } else if (!override) { buffer = ''; state = 'no scheme'; p = -1 }
                  else throw failure(original)
                  break
                case 'no scheme':
                  if (!base || (base.opaque && c !== '#')) throw failure(original)
                  if (base.opaque && c === '#') {
                    url.scheme = base.scheme; url.path = base.path; url.opaque = true; url.query = base.query; url.fragment = ''; state = 'fragment'
                  } else if (base.scheme !== 'file') { state = 'relative'; p-- }
                  else { state = 'file'; p-- }
                  break
                case 'special relative or authority':
                  if (c === '/' && cps[p + 1] === 0x2f) { state = 'special authority ignore slashes'; p++ }
                  else { state = 'relative'; p-- }
                  break
                case 'path or authority':
                  if (c === '/') state = 'authority'; else { state = 'path'; p-- }
                  break
                case 'relative':
                  url.scheme = base.scheme
                  if (c === '/') state = 'relative slash'
                  else if (isSpecialScheme(url.scheme) && c === '\\') state = 'relative slash'
                  else {
                    url.username = base.username; url.password = base.password; url.host = base.host; url.port = base.port; url.path = base.path.slice(); url.query = base.query
                    if (c === '?') { url.query = ''; state = 'query' }
                    else if (c === '#') { url.fragment = ''; state = 'fragment' }
                    else if (c !== '') { url.query = null; shortenPath(url); state = 'path'; p-- }
                  }
                  break
                case 'relative slash':
                  if (isSpecialScheme(url.scheme) && (c === '/' || c === '\\')) state = 'special authority ignore slashes'
                  else if (c === '/') state = 'authority'
                  else { url.username = base.username; url.password = base.password; url.host = base.host; url.port = base.port; state = 'path'; p-- }
                  break
                case 'special authority slashes':
                  if (c === '/' && cps[p + 1] === 0x2f) { state = 'special authority ignore slashes'; p++ }
                  else { state = 'special authority ignore slashes'; p-- }
                  break
                case 'special authority ignore slashes':
                  if (c !== '/' && c !== '\\') { state = 'authority'; p-- }
                  break
                case 'authority':
                  if (c === '@') {
                    if (atSeen) buffer = '%40' + buffer
                    atSeen = true
                    for (const bcp of codePoints(buffer)) {
                      if (bcp === 0x3a && !passwordTokenSeen) { passwordTokenSeen = true; continue }
                      const enc = encodeCp(bcp, USERINFO)
                      if (passwordTokenSeen) url.password += enc; else url.username += enc
                    }
                    buffer = ''
                  } else if (c === '' || c === '/' || c === '?' || c === '#' || (special && c === '\\')) {
                    if (atSeen && buffer === '') throw failure(original)
                    p -= codePoints(buffer).length + 1
                    buffer = ''
                    state = 'host'
                  } else buffer += c
                  break
                case 'host':
                case 'hostname':
                  if (override && url.scheme === 'file') { p--; state = 'file host' }
                  else if (c === ':' && !insideBrackets) {
                    if (buffer === '') throw failure(original)
                    if (override === 'hostname') return url
                    url.host = parseHost(buffer, special, original); buffer = ''; state = 'port'
                  } else if (c === '' || c === '/' || c === '?' || c === '#' || (special && c === '\\')) {
                    p--
                    if (special && buffer === '') throw failure(original)
                    if (override && buffer === '' && (url.username || url.password || url.port !== null)) return url
                    url.host = parseHost(buffer, special, original); buffer = ''; state = 'path start'
                    if (override) return url
                  } else { if (c === '[') insideBrackets = true; if (c === ']') insideBrackets = false; buffer += c }
                  break
                case 'port':
                  if (/[0-9]/.test(c) && c !== '') buffer += c
                  else if (c === '' || c === '/' || c === '?' || c === '#' || (special && c === '\\') || override) {
                    if (buffer !== '') {
                      const port = parseInt(buffer, 10)
                      if (port > 65535) throw failure(original)
                      url.port = SPECIAL[url.scheme + ':'] === port ? null : port
                      buffer = ''
                    }
                    if (override) return url
                    state = 'path start'; p--
                  } else throw failure(original)
                  break
                case 'file':
                  url.scheme = 'file'
                  url.host = ''
                  if (c === '/' || c === '\\') state = 'file slash'
                  else if (base && base.scheme === 'file') {
                    url.host = base.host; url.path = base.path.slice(); url.query = base.query
                    if (c === '?') { url.query = ''; state = 'query' }
                    else if (c === '#') { url.fragment = ''; state = 'fragment' }
                    else if (c !== '') {
                      url.query = null
                      if (!startsWithWindowsLetter(cps, p)) shortenPath(url); else url.path = []
                      state = 'path'; p--
                    }
                  } else { state = 'path'; p-- }
                  break
                case 'file slash':
                  if (c === '/' || c === '\\') state = 'file host'
                  else {
                    if (base && base.scheme === 'file') {
                      url.host = base.host
                      if (!startsWithWindowsLetter(cps, p) && base.path.length > 0 && isWindowsLetter(base.path[0], true)) url.path.push(base.path[0])
                    }
                    state = 'path'; p--
                  }
                  break
                case 'file host':
                  if (c === '' || c === '/' || c === '\\' || c === '?' || c === '#') {
                    p--
                    if (!override && isWindowsLetter(buffer, false)) state = 'path'
                    else if (buffer === '') { url.host = ''; if (override) return url; state = 'path start' }
                    else {
                      let host = parseHost(buffer, true, original)
                      if (host === 'localhost') host = ''
                      url.host = host
                      if (override) return url
                      buffer = ''; state = 'path start'
                    }
                  } else buffer += c
                  break
                case 'path start':
                  if (special) { state = 'path'; if (c !== '/' && c !== '\\') p-- }
                  else if (!override && c === '?') { url.query = ''; state = 'query' }
                  else if (!override && c === '#') { url.fragment = ''; state = 'fragment' }
                  else if (c !== '') { state = 'path'; if (c !== '/') p-- }
                  else if (override && url.host === null) url.path.push('')
                  break
                case 'path':
                  if (c === '' || c === '/' || (special && c === '\\') || (!override && (c === '?' || c === '#'))) {
                    if (isDoubleDot(buffer)) {
                      shortenPath(url)
                      if (c !== '/' && !(special && c === '\\')) url.path.push('')
                    } else if (isSingleDot(buffer) && c !== '/' && !(special && c === '\\')) url.path.push('')
                    else if (!isSingleDot(buffer)) {
                      if (url.scheme === 'file' && url.path.length === 0 && isWindowsLetter(buffer, false)) buffer = buffer[0] + ':'
                      url.path.push(buffer)
                    }
                    buffer = ''
                    if (c === '?') { url.query = ''; state = 'query' }
                    if (c === '#') { url.fragment = ''; state = 'fragment' }
                  } else buffer += encodeCp(cp, PATH)
                  break
                case 'opaque path':
                  if (c === '?') { url.query = ''; state = 'query' }
                  else if (c === '#') { url.fragment = ''; state = 'fragment' }
                  else if (c !== '') url.path += encodeCp(cp, C0)
                  break
                case 'query':
                  if ((!override && c === '#') || c === '') {
                    url.query += encode(buffer, special ? SPECIAL_QUERY : QUERY)
                    buffer = ''
                    if (c === '#') { url.fragment = ''; state = 'fragment' }
                  } else buffer += c
                  break
                case 'fragment':
                  if (c !== '') url.fragment += encodeCp(cp, FRAGMENT)
                  break
              }
            }
            return url
          }

          const serializePath = u => u.opaque ? u.path : u.path.map(s => '/' + s).join('')
          const serializeUrl = (u, excludeFragment) => {
            let out = u.scheme + ':'
            if (u.host !== null) {
              out += '//'
              if (u.username !== '' || u.password !== '') out += u.username + (u.password !== '' ? ':' + u.password : '') + '@'
              out += u.host
              if (u.port !== null) out += ':' + u.port
            } else if (!u.opaque && u.path.length > 1 && u.path[0] === '') out += '/.'
            out += serializePath(u)
            if (u.query !== null) out += '?' + u.query
            if (!excludeFragment && u.fragment !== null) out += '#' + u.fragment
            return out
          }
          const cannotHaveCredentials = u => u.host === null || u.host === '' || u.scheme === 'file'

          // application/x-www-form-urlencoded (URL Standard §5): bytes other than ASCII alphanumerics and *-._ are
          // percent-encoded, space becomes '+'; parsing is the lenient percent-decode, invalid UTF-8 becomes U+FFFD.
          const formEncode = s => codePoints(s).map(cp => cp === 0x20 ? '+' : /[A-Za-z0-9*\-._]/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : utf8(cp).map(hex2).join('')).join('')
          const formDecode = s => percentDecode(s.replace(/\+/g, ' '))
          const usv = s => codePoints(String(s)).map(cp => String.fromCodePoint(cp)).join('')

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
                    this.#list.push([usv(p[0]), usv(p[1])])
                  }
                } else {
                  for (const k of Object.keys(init)) this.#list.push([usv(k), usv(init[k])])
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
            #u
            #params
            constructor(url, base) {
              if (arguments.length === 0) throw new TypeError('The "url" argument must be specified')
              const parsedBase = base === undefined ? null : basicParse(String(base), null)
              this.#u = basicParse(usv(url), parsedBase)
              this.#params = new URLSearchParams()
              this.#relink()
            }
            #relink() { link(this.#params, s => { this.#u.query = s === '' ? null : s }, this.#u.query ?? '') }
            #set(f) { try { f() } catch (e) { if (!(e instanceof TypeError)) throw e } }
            static canParse(url, base) { try { new URL(url, base); return true } catch { return false } }
            get href() { return serializeUrl(this.#u) }
            set href(value) { this.#u = basicParse(usv(value), null); this.#relink() }
            get origin() {
              const u = this.#u
              if (u.scheme === 'blob') { try { const inner = new URL(serializePath(u)); return inner.protocol === 'http:' || inner.protocol === 'https:' ? inner.origin : 'null' } catch { return 'null' } }
              return isSpecialScheme(u.scheme) && u.scheme !== 'file' ? u.scheme + '://' + u.host + (u.port === null ? '' : ':' + u.port) : 'null'
            }
            get protocol() { return this.#u.scheme + ':' }
            set protocol(value) { this.#set(() => basicParse(usv(value) + ':', null, this.#u, 'scheme start')) }
            get username() { return this.#u.username }
            set username(value) { if (!cannotHaveCredentials(this.#u)) this.#u.username = encode(usv(value), USERINFO) }
            get password() { return this.#u.password }
            set password(value) { if (!cannotHaveCredentials(this.#u)) this.#u.password = encode(usv(value), USERINFO) }
            get host() { const u = this.#u; return u.host === null ? '' : u.port === null ? u.host : u.host + ':' + u.port }
            set host(value) { if (!this.#u.opaque) this.#set(() => basicParse(usv(value), null, this.#u, 'host')) }
            get hostname() { return this.#u.host ?? '' }
            set hostname(value) { if (!this.#u.opaque) this.#set(() => basicParse(usv(value), null, this.#u, 'hostname')) }
            get port() { return this.#u.port === null ? '' : String(this.#u.port) }
            set port(value) {
              if (cannotHaveCredentials(this.#u)) return
              value = usv(value)
              if (value === '') this.#u.port = null
              else this.#set(() => basicParse(value, null, this.#u, 'port'))
            }
            get pathname() { return serializePath(this.#u) }
            set pathname(value) { if (this.#u.opaque) return; this.#u.path = []; this.#set(() => basicParse(usv(value), null, this.#u, 'path start')) }
            get search() { const q = this.#u.query; return q === null || q === '' ? '' : '?' + q }
            set search(value) {
              value = usv(value)
              if (value.startsWith('?')) value = value.slice(1)
              if (value === '') { this.#u.query = null } else { this.#u.query = ''; basicParse(value, null, this.#u, 'query') }
              this.#relink()
            }
            get searchParams() { return this.#params }
            get hash() { const f = this.#u.fragment; return f === null || f === '' ? '' : '#' + f }
            set hash(value) {
              value = usv(value)
              if (value.startsWith('#')) value = value.slice(1)
              if (value === '') { this.#u.fragment = null } else { this.#u.fragment = ''; basicParse(value, null, this.#u, 'fragment') }
            }
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

          // structuredClone (HTML §2.7): plain data, Date, RegExp, Map, Set, ArrayBuffer and views, errors and
          // wrapper objects, with cycles and shared references kept; functions, symbols and other host objects throw
          // a DataCloneError. Class instances come back as plain objects, as in Node.
          class DOMException extends Error {
            constructor(message = '', name = 'Error') { super(message); Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true }) }
          }
          const dataCloneError = what => new DOMException(`${what} could not be cloned.`, 'DataCloneError')
          const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }
          function structuredClone(value, options) {
            if (arguments.length === 0) throw new TypeError("The \"value\" argument must be specified")
            const memory = new Map()
            const clone = v => {
              if (typeof v === 'symbol') throw dataCloneError(String(v))
              if (typeof v === 'function') throw dataCloneError(String(v))
              if (v === null || typeof v !== 'object') return v
              if (memory.has(v)) return memory.get(v)
              const tag = Object.prototype.toString.call(v)
              let out
              switch (tag) {
                case '[object Boolean]': case '[object Number]': case '[object String]': case '[object BigInt]':
                  out = Object(v.valueOf()); memory.set(v, out); return out
                case '[object Date]': out = new Date(v.getTime()); memory.set(v, out); return out
                case '[object RegExp]': out = new RegExp(v.source, v.flags); memory.set(v, out); return out
                case '[object ArrayBuffer]': out = v.slice(0); memory.set(v, out); return out
                case '[object Map]': out = new Map(); memory.set(v, out); for (const [k, x] of v) out.set(clone(k), clone(x)); return out
                case '[object Set]': out = new Set(); memory.set(v, out); for (const x of v) out.add(clone(x)); return out
                case '[object Error]': {
                  const ctor = ERRORS[v.name] && Object.prototype.hasOwnProperty.call(ERRORS, v.name) ? ERRORS[v.name] : Error
                  out = Object.create(ctor.prototype); memory.set(v, out)
                  if ('message' in v) Object.defineProperty(out, 'message', { value: String(v.message), writable: true, configurable: true })
                  if ('stack' in v) Object.defineProperty(out, 'stack', { value: String(v.stack), writable: true, configurable: true })
                  if ('cause' in v) Object.defineProperty(out, 'cause', { value: clone(v.cause), writable: true, configurable: true })
                  return out
                }
              }
              if (ArrayBuffer.isView(v)) {
                const buffer = clone(v.buffer)
                out = v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength) : new v.constructor(buffer, v.byteOffset, v.length)
                memory.set(v, out); return out
              }
              if (Array.isArray(v)) {
                out = new Array(v.length); memory.set(v, out)
                for (const k of Object.keys(v)) out[k] = clone(v[k])
                return out
              }
              if (tag !== '[object Object]' || v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise || v instanceof WeakRef) throw dataCloneError(tag)
              out = {}; memory.set(v, out)
              for (const k of Object.keys(v)) out[k] = clone(v[k])
              return out
            }
            return clone(value)
          }

          define('URLSearchParams', URLSearchParams)
          define('structuredClone', structuredClone)
          define('DOMException', DOMException)
          define('URL', URL)
          define('TextEncoder', TextEncoder)
          define('TextDecoder', TextDecoder)
          define('atob', function atob(data) { if (arguments.length === 0) throw new TypeError('atob needs 1 argument'); return h.atob(String(data)) })
          define('btoa', function btoa(data) { if (arguments.length === 0) throw new TypeError('btoa needs 1 argument'); return h.btoa(String(data)) })
          define('crypto', Object.freeze(crypto))
        })
        """;
}
