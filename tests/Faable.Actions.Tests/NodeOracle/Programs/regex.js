// Regular expressions: what Node's irregexp supports and .NET's engine must match.

// === named groups
exports.onExecutePostLogin = async (event, api) => {
  const m = /(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})/.exec(event.user.created_at)
  console.log(m.groups.year, m.groups.month, m.groups.day, m.index)
}

// === named group backreference and replacement
exports.onExecutePostLogin = async (event, api) => {
  console.log('2026-03-01'.replace(/(?<y>\d+)-(?<m>\d+)-(?<d>\d+)/, '$<d>/$<m>/$<y>'), /(?<c>a)\k<c>/.test('aa'))
}

// === lookbehind positive and negative
exports.onExecutePostLogin = async (event, api) => {
  console.log('$10 €20 $30'.match(/(?<=\$)\d+/g).join(','), 'a1 b2 c3'.match(/(?<!a)\d/g).join(','))
}

// === lookahead
exports.onExecutePostLogin = async (event, api) => {
  console.log('password1'.match(/^(?=.*\d)(?=.*[a-z]).{8,}$/) !== null, 'foobar'.replace(/foo(?!baz)/, 'X'))
}

// === unicode property escapes
exports.onExecutePostLogin = async (event, api) => {
  const name = event.user.name
  console.log(/^\p{L}+(?: \p{L}+)*$/u.test(name), name.match(/\p{Lu}/gu).join(''), /\p{Script=Greek}/u.test('α'), /\P{L}/u.test('abc'))
}

// === unicode flag and astral characters
exports.onExecutePostLogin = async (event, api) => {
  console.log(/^.$/.test('😀'), /^.$/u.test('😀'), '😀😀'.match(/./gu).length, /\u{1F600}/u.test('😀'))
}

// === sticky flag
exports.onExecutePostLogin = async (event, api) => {
  const re = /\d/y
  re.lastIndex = 1
  console.log(re.test('a1b'), re.lastIndex, re.test('a1b'), re.lastIndex)
}

// === dotAll flag
exports.onExecutePostLogin = async (event, api) => {
  console.log(/a.b/.test('a\nb'), /a.b/s.test('a\nb'), /a.b/s.flags)
}

// === matchAll with groups
exports.onExecutePostLogin = async (event, api) => {
  const out = [...'k1=v1;k2=v2'.matchAll(/(\w+)=(\w+)/g)].map(m => `${m[1]}:${m[2]}@${m.index}`)
  console.log(out.join(' '))
}

// === global regex lastIndex across exec
exports.onExecutePostLogin = async (event, api) => {
  const re = /o/g
  const seen = []
  let m
  while ((m = re.exec('foo boo')) !== null) seen.push(m.index)
  console.log(seen.join(','), re.lastIndex)
}

// === replace with special patterns
exports.onExecutePostLogin = async (event, api) => {
  console.log('abc'.replace('b', "[$`|$&|$'|$$]"), 'aXbX'.replace(/X/g, (m, off) => off))
}

// === split with capture groups
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify('a1b22c'.split(/(\d+)/)))
}

// === case insensitive unicode
exports.onExecutePostLogin = async (event, api) => {
  console.log(/zoë/i.test('ZOË'), /ß/i.test('SS'), /[a-z]/i.test('K'), /\u212A/i.test('k'), /\u212A/iu.test('k'))
}

// === email validation pattern
exports.onExecutePostLogin = async (event, api) => {
  const re = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
  console.log(re.test(event.user.email), re.test('a@b'), re.test('a b@c.d'))
}

// === word boundary and non-ASCII
exports.onExecutePostLogin = async (event, api) => {
  console.log('Zoë Ångström'.match(/\b\w+\b/g).join('|'), /\w/.test('é'))
}

// === character class escapes
exports.onExecutePostLogin = async (event, api) => {
  console.log(/\s/.test('\u00a0'), /\s/.test('\u2003'), /\s/.test('\ufeff'), /\d/.test('٣'), /\d/u.test('٣'))
}

// === regex source and flags and toString
exports.onExecutePostLogin = async (event, api) => {
  const re = new RegExp('a/b', 'gi')
  console.log(re.source, re.flags, String(re), new RegExp('').source)
}

// === invalid regex throws SyntaxError
exports.onExecutePostLogin = async (event, api) => {
  try { new RegExp('(') } catch (e) { console.log(e.name) }
}

// === backreference to a group not yet matched
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify(/(a)|\1b/.exec('b')), JSON.stringify(/(?:(a)|b)\1/.exec('b')))
}

// === quantifier on empty match
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify('abc'.match(/x*/g)), 'abc'.replace(/x*/g, '-'))
}

// === search and match without g
exports.onExecutePostLogin = async (event, api) => {
  const m = 'the ip is 203.0.113.9'.match(/(\d+)\.(\d+)/)
  console.log('hello'.search(/l/), m[0], m[1], m.length, m.input.length)
}

// === hasIndices flag
exports.onExecutePostLogin = async (event, api) => {
  const m = /(?<w>b)/d.exec('abc')
  console.log(JSON.stringify(m.indices[0]), JSON.stringify(m.indices.groups.w))
}

// === accept-language parsing
exports.onExecutePostLogin = async (event, api) => {
  const langs = event.request.language.split(',').map(part => {
    const [tag, q] = part.trim().split(';q=')
    return { tag, q: q === undefined ? 1 : Number(q) }
  }).sort((a, b) => b.q - a.q)
  console.log(langs.map(l => `${l.tag}:${l.q}`).join(' '))
}

// === regex with unicode sets v flag support check
exports.onExecutePostLogin = async (event, api) => {
  let supported
  try { new RegExp('[\\p{L}--[a-z]]', 'v'); supported = true } catch { supported = false }
  console.log(supported)
}
