// String methods real actions use on names, emails and headers.

// === padStart and padEnd
exports.onExecutePostLogin = async (event, api) => {
  console.log('7'.padStart(3, '0'), 'ab'.padEnd(5, '-') + '|', 'abc'.padStart(2), 'x'.padStart(6, 'ab'))
}

// === replaceAll with string and function
exports.onExecutePostLogin = async (event, api) => {
  console.log('a.b.c'.replaceAll('.', '/'), 'aaa'.replaceAll('a', (m, i) => i), 'x-y'.replaceAll(/-/g, '$&$&'))
}

// === replaceAll with non-global regex throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  try { 'abc'.replaceAll(/b/, 'x') } catch (e) { console.log(e.name) }
}

// === split limit and separators
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify(['a,b,,c'.split(','), 'abc'.split(''), 'a1b2c3'.split(/\d/), 'a,b,c'.split(',', 2), ''.split(',')]))
}

// === trim family
exports.onExecutePostLogin = async (event, api) => {
  const s = '\u00a0\t x y \n\u2003'
  console.log(JSON.stringify([s.trim(), s.trimStart(), s.trimEnd()]))
}

// === case mapping of non-ASCII
exports.onExecutePostLogin = async (event, api) => {
  console.log(event.user.name.toUpperCase(), 'ß'.toUpperCase(), 'İ'.toLowerCase().length, 'ΣΑΣ'.toLowerCase())
}

// === at, slice, substring with negatives
exports.onExecutePostLogin = async (event, api) => {
  const s = 'authentication'
  console.log(s.at(-1), s.slice(-4), s.substring(5, 2), s.substr(-4, 2), s.slice(3, -3))
}

// === includes startsWith endsWith indexOf
exports.onExecutePostLogin = async (event, api) => {
  const e = event.user.email
  console.log(e.includes('@'), e.endsWith('@example.com'), e.startsWith('zo'), e.indexOf('@'), e.lastIndexOf('.'))
}

// === code points and surrogate pairs
exports.onExecutePostLogin = async (event, api) => {
  const s = 'a😀b'
  console.log(s.length, [...s].length, s.codePointAt(1), s.charCodeAt(1), String.fromCodePoint(0x1F600) === '😀', Array.from(s).join('|'))
}

// === localeCompare basic ordering
exports.onExecutePostLogin = async (event, api) => {
  console.log(['b', 'a', 'C'].sort((x, y) => x.localeCompare(y)).join(','), 'a'.localeCompare('b'), 'a'.localeCompare('a'))
}

// === template literals and raw
exports.onExecutePostLogin = async (event, api) => {
  const name = event.user.given_name
  console.log(`Hi ${name}, ${1 + 1}`, String.raw`a\nb${2}`, `${[1, 2]}${{}}`)
}

// === repeat and concat
exports.onExecutePostLogin = async (event, api) => {
  console.log('ab'.repeat(3), 'x'.concat(1, null, undefined), ''.repeat(0) === '')
}

// === repeat with negative count throws RangeError
exports.onExecutePostLogin = async (event, api) => {
  try { 'a'.repeat(-1) } catch (e) { console.log(e.name, e instanceof RangeError) }
}

// === normalize accents removal for comparison
exports.onExecutePostLogin = async (event, api) => {
  const plain = event.user.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  console.log(plain, plain.length, event.user.name.length)
}

// === normalize compatibility forms
exports.onExecutePostLogin = async (event, api) => {
  console.log('ﬃ'.normalize('NFKC'), '①'.normalize('NFKD'), 'Å'.normalize('NFD').length, '\u1E9B\u0323'.normalize('NFKC').length)
}

// === normalize invalid form throws RangeError
exports.onExecutePostLogin = async (event, api) => {
  try { 'a'.normalize('NFX') } catch (e) { console.log(e.name) }
}

// === string comparison operators
exports.onExecutePostLogin = async (event, api) => {
  console.log('a' < 'b', 'B' < 'a', '10' < '9', 'Z' < 'a', 'é' > 'z')
}

// === String conversions
exports.onExecutePostLogin = async (event, api) => {
  console.log(String(null), String(undefined), String(123n), String(Symbol('s')), String([1, [2, 3]]), String({}))
}

// === encodeURIComponent and decodeURIComponent
exports.onExecutePostLogin = async (event, api) => {
  const e = encodeURIComponent(event.user.email + ' &=?/')
  console.log(e, decodeURIComponent(e), encodeURI('https://x.example/a b?q=ü#f'))
}

// === decodeURIComponent of malformed sequence throws URIError
exports.onExecutePostLogin = async (event, api) => {
  try { decodeURIComponent('%E0%A4%A') } catch (e) { console.log(e.name) }
}

// === escape-free email domain extraction
exports.onExecutePostLogin = async (event, api) => {
  const [local, domain] = event.user.email.split('@')
  if (domain !== 'example.com') api.access.deny('wrong domain')
  console.log(local.length, domain)
}

// === isWellFormed and toWellFormed absent or present
exports.onExecutePostLogin = async (event, api) => {
  console.log(typeof "".isWellFormed, typeof "".toWellFormed)
}

// === string iteration with for of
exports.onExecutePostLogin = async (event, api) => {
  let n = 0
  for (const ch of 'Zoë😀') n++
  console.log(n)
}
