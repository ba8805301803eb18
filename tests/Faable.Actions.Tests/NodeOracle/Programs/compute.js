// Computation of the size real actions do: hashing, scoring, string building.

// === FNV-1a hash of the user id over many rounds
exports.onExecutePostLogin = async (event, api) => {
  let h = 0x811c9dc5
  for (let round = 0; round < 2000; round++) {
    for (const ch of event.user.user_id) { h ^= ch.charCodeAt(0); h = Math.imul(h, 0x01000193) >>> 0 }
  }
  console.log(h.toString(16))
}

// === primes below fifty thousand
exports.onExecutePostLogin = async (event, api) => {
  const n = 50000
  const sieve = new Uint8Array(n)
  let count = 0, last = 0
  for (let i = 2; i < n; i++) { if (!sieve[i]) { count++; last = i; for (let j = i * i; j < n; j += i) sieve[j] = 1 } }
  console.log(count, last)
}

// === floating point accumulation
exports.onExecutePostLogin = async (event, api) => {
  let sum = 0
  for (let i = 1; i <= 100000; i++) sum += 1 / (i * i)
  console.log(sum, Math.sqrt(sum * 6))
}

// === string building and counting
exports.onExecutePostLogin = async (event, api) => {
  const parts = []
  for (let i = 0; i < 5000; i++) parts.push(String.fromCharCode(97 + (i * 7) % 26))
  const s = parts.join('')
  const counts = {}
  for (const c of s) counts[c] = (counts[c] || 0) + 1
  console.log(s.length, s.slice(0, 26), JSON.stringify(counts).length, counts.a, counts.z)
}

// === risk score over a list of rules
exports.onExecutePostLogin = async (event, api) => {
  const rules = Array.from({ length: 500 }, (_, i) => ({ id: 'r' + i, weight: (i % 7) / 10, match: e => (e.request.ip.length + i) % 5 === 0 }))
  let score = 0
  const hits = []
  for (let pass = 0; pass < 20; pass++) for (const r of rules) if (r.match(event)) { score += r.weight; if (pass === 0) hits.push(r.id) }
  console.log(score.toFixed(6), hits.length, hits.slice(0, 3).join(','))
  if (score > 100) api.access.review('high_risk')
}

// === sort a large array of objects by two keys
exports.onExecutePostLogin = async (event, api) => {
  let seed = 7
  const rand = () => (seed = (seed * 16807) % 2147483647)
  const rows = Array.from({ length: 3000 }, (_, i) => ({ i, a: rand() % 10, b: rand() % 100 }))
  rows.sort((x, y) => x.a - y.a || x.b - y.b)
  console.log(rows.slice(0, 5).map(r => r.i).join(','), rows[2999].i)
}

// === base64 of the email with btoa and TextEncoder
exports.onExecutePostLogin = async (event, api) => {
  const bytes = new TextEncoder().encode(event.user.email)
  const b64 = btoa(String.fromCharCode(...bytes))
  const back = new TextDecoder().decode(Uint8Array.from(atob(b64), c => c.charCodeAt(0)))
  console.log(bytes.length, b64, back === event.user.email)
}

// === typed arrays and DataView
exports.onExecutePostLogin = async (event, api) => {
  const buf = new ArrayBuffer(8)
  const view = new DataView(buf)
  view.setUint32(0, 0xdeadbeef)
  view.setFloat32(4, 1.5, true)
  console.log(Array.from(new Uint8Array(buf)).join(','), new Int8Array([200])[0], new Uint8ClampedArray([300, -5])[0], new Float64Array([0.1])[0])
}

// === matrix multiplication
exports.onExecutePostLogin = async (event, api) => {
  const n = 40
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i + j) % 7))
  const c = a.map((row, i) => row.map((_, j) => row.reduce((s, v, k) => s + v * a[k][j], 0)))
  console.log(c[0][0], c[n - 1][n - 1], c.flat().reduce((s, v) => s + v, 0))
}

// === recursion depth typical of tree walks
exports.onExecutePostLogin = async (event, api) => {
  const build = d => d === 0 ? { v: 1 } : { l: build(d - 1), r: build(d - 1), v: d }
  const sum = t => t.v + (t.l ? sum(t.l) + sum(t.r) : 0)
  const depth = (n) => n === 0 ? 0 : 1 + depth(n - 1)
  console.log(sum(build(12)), depth(200))
}

// === JSON heavy loop
exports.onExecutePostLogin = async (event, api) => {
  let text = JSON.stringify(event.user)
  for (let i = 0; i < 300; i++) { const o = JSON.parse(text); o.i = i; text = JSON.stringify(o) }
  console.log(text.length, JSON.parse(text).i)
}

// === regex over many lines
exports.onExecutePostLogin = async (event, api) => {
  const lines = Array.from({ length: 2000 }, (_, i) => `user${i}@${i % 3 ? 'example.com' : 'corp.example'} ${i}`)
  const corp = lines.filter(l => /@corp\.example\b/.test(l)).length
  const total = lines.reduce((s, l) => s + Number(l.match(/ (\d+)$/)[1]), 0)
  console.log(corp, total)
}
