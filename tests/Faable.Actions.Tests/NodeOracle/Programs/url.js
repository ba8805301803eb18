// URL and URLSearchParams under WHATWG rules.

// === basic parts
exports.onExecutePostLogin = async (event, api) => {
  const u = new URL('https://user:pa%20ss@Shop.Example.COM:8443/a/b/../c/./d?x=1&y=2#frag')
  console.log(u.protocol, u.username, u.password, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin)
}

// === href normalization
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('HTTPS://EXAMPLE.com:443').href, new URL('http://example.com:80/').href, new URL('https://example.com').pathname)
}

// === relative resolution
exports.onExecutePostLogin = async (event, api) => {
  const base = 'https://shop.example.com/a/b/c?q=1#h'
  console.log(['d', './d', '../d', '/d', '?z=2', '#k', '//other.example/x', '../../../../d', ''].map(r => new URL(r, base).href).join(' '))
}

// === searchParams get and set update href
exports.onExecutePostLogin = async (event, api) => {
  const u = new URL('https://shop.example.com/complete-profile?step=1')
  u.searchParams.set('user', event.user.user_id)
  u.searchParams.append('next', 'https://app.example.com/cb?x=1&y=2')
  console.log(u.href, u.searchParams.get('step'))
  api.redirect.sendUserTo(u.toString())
}

// === URLSearchParams serialization of spaces and symbols
exports.onExecutePostLogin = async (event, api) => {
  const p = new URLSearchParams({ q: 'a b+c', e: 'x@y.z', s: "!'()*~", u: 'ü€' })
  console.log(p.toString())
}

// === URLSearchParams parsing
exports.onExecutePostLogin = async (event, api) => {
  const p = new URLSearchParams('?a=1&a=2&b=%20x+y&c&=empty&d=%zz')
  console.log(JSON.stringify([...p]), p.getAll('a').join(','), p.get('b'), p.get('c'), p.has('d'), p.get('d'))
}

// === URLSearchParams sort is stable
exports.onExecutePostLogin = async (event, api) => {
  const p = new URLSearchParams('z=1&a=2&z=0&b=3&a=1')
  p.sort()
  console.log(p.toString(), p.size)
}

// === URLSearchParams delete and has with value
exports.onExecutePostLogin = async (event, api) => {
  const p = new URLSearchParams('a=1&a=2&b=3')
  p.delete('a', '2')
  console.log(p.toString(), p.has('a', '1'), p.has('a', '2'))
}

// === invalid URL throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  for (const s of ['not a url', 'https://', 'http://exa mple.com', '//no-scheme']) {
    try { new URL(s); console.log('ok', s) } catch (e) { console.log(e.name, s) }
  }
}

// === canParse
exports.onExecutePostLogin = async (event, api) => {
  console.log(URL.canParse('https://x.example'), URL.canParse('nope'), URL.canParse('/a', 'https://x.example'))
}

// === non-special schemes
exports.onExecutePostLogin = async (event, api) => {
  const u = new URL('mailto:Ada@Example.com?subject=Hi')
  const v = new URL('custom://Host/Path?q')
  console.log(u.protocol, u.pathname, u.search, u.origin, v.hostname, v.pathname, v.href)
}

// === percent encoding of path query and fragment
exports.onExecutePostLogin = async (event, api) => {
  const u = new URL('https://x.example/a b/ü?q=a b&r=ü#f g')
  console.log(u.pathname, u.search, u.hash, u.href)
}

// === IDN host to punycode
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('https://bücher.example/').hostname, new URL('https://EXAMPLE.com./').hostname)
}

// === IPv4 and IPv6 hosts
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('http://127.1/').hostname, new URL('http://0x7f.0.0.1/').host, new URL('http://[::1]:8080/').host, new URL('http://[2001:DB8::0:1]/').hostname)
}

// === backslashes in special URLs
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('https:\\\\evil.example\\path').href, new URL('https://good.example\\@evil.example/').hostname)
}

// === setters pathname search hash
exports.onExecutePostLogin = async (event, api) => {
  const u = new URL('https://x.example/a?b=1#c')
  u.pathname = 'new path'
  u.search = 'q=1 2'
  u.hash = 'h i'
  console.log(u.href)
}

// === toJSON and String
exports.onExecutePostLogin = async (event, api) => {
  const u = new URL('https://x.example/p?q=1')
  console.log(JSON.stringify({ u }), String(u), u + '')
}

// === origin of various schemes
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('https://a.example:444/x').origin, new URL('file:///tmp/x').origin, new URL('data:text/plain,hi').origin)
}

// === whitespace and control characters stripped
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('  https://x.example/a\tb\nc  ').href)
}

// === redirect with a built query
exports.onExecutePostLogin = async (event, api) => {
  const target = new URL('/complete-profile', 'https://shop.example.com')
  target.search = new URLSearchParams({ email: event.user.email, lang: 'sv' }).toString()
  api.redirect.sendUserTo(target.href)
}

// === URLSearchParams iteration and forEach
exports.onExecutePostLogin = async (event, api) => {
  const p = new URLSearchParams([['a', '1'], ['b', '2']])
  const seen = []
  p.forEach((v, k) => seen.push(k + v))
  console.log(seen.join(','), [...p.keys()].join(''), [...p.values()].join(''))
}

// === port edge cases
exports.onExecutePostLogin = async (event, api) => {
  console.log(new URL('https://x.example:0443/').port, new URL('https://x.example:443/').port, new URL('ftp://x.example:21/').port)
  try { new URL('https://x.example:70000/') } catch (e) { console.log(e.name) }
}
