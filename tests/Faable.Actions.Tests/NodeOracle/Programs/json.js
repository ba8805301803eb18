// JSON: key order, escaping, replacers, revivers.

// === stringify key order integer keys first
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify({ b: 1, 2: 'two', a: 2, 1: 'one', '-1': 'neg', '01': 'lead' }))
}

// === stringify metadata key order from the event
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify(event.user.app_metadata), Object.keys(event.user.app_metadata).join(','))
}

// === stringify with indent
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify({ a: [1, { b: 2 }], c: {} , d: [] }, null, 2))
}

// === stringify with replacer function and array
exports.onExecutePostLogin = async (event, api) => {
  const o = { a: 1, b: 'x', c: { a: 3, d: 4 } }
  console.log(JSON.stringify(o, (k, v) => typeof v === 'number' ? v * 10 : v), JSON.stringify(o, ['a', 'c']))
}

// === stringify undefined functions and symbols
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify({ a: undefined, b: () => 1, c: Symbol('s'), d: null }), JSON.stringify([undefined, () => 1, Symbol('s')]), String(JSON.stringify(undefined)))
}

// === stringify special numbers and dates
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify([NaN, Infinity, -0, 1e21, 1e-7, new Date(0)]))
}

// === stringify escaping
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify('a"b\\c\n\t\u0001\u2028\ud800é😀'))
}

// === stringify toJSON
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify({ when: { toJSON(key) { return 'key:' + key } }, list: [{ toJSON() { return 7 } }] }))
}

// === stringify BigInt throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  try { JSON.stringify({ n: 1n }) } catch (e) { console.log(e.name) }
}

// === stringify cycle throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  const o = {}
  o.self = o
  try { JSON.stringify(o) } catch (e) { console.log(e.name) }
}

// === parse with reviver
exports.onExecutePostLogin = async (event, api) => {
  const v = JSON.parse('{"a":1,"b":{"c":2},"d":[3]}', (k, v) => typeof v === 'number' ? v + 1 : v)
  console.log(JSON.stringify(v))
}

// === parse errors throw SyntaxError
exports.onExecutePostLogin = async (event, api) => {
  for (const text of ['{a:1}', "{'a':1}", '[1,]', '', '01', '"\t"']) {
    try { JSON.parse(text); console.log('ok', text) } catch (e) { console.log(e.name) }
  }
}

// === parse duplicate keys last wins and proto key
exports.onExecutePostLogin = async (event, api) => {
  const v = JSON.parse('{"a":1,"a":2,"__proto__":{"x":1}}')
  console.log(v.a, v.x, Object.keys(v).join(','), JSON.stringify(v))
}

// === parse big numbers and exponent
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.parse('12345678901234567890'), JSON.parse('1E400'), JSON.parse('-0'), JSON.parse('1.5e-3'))
}

// === structuredClone of plain data
exports.onExecutePostLogin = async (event, api) => {
  const copy = JSON.parse(JSON.stringify(event.user))
  copy.app_metadata.plan = 'free'
  console.log(event.user.app_metadata.plan, copy.app_metadata.plan, JSON.stringify(copy.user_metadata))
}

// === object key order after delete and re-add
exports.onExecutePostLogin = async (event, api) => {
  const o = { a: 1, b: 2, c: 3 }
  delete o.a
  o.a = 4
  o[10] = 'x'
  o[2] = 'y'
  console.log(JSON.stringify(o), Object.entries(o).map(([k]) => k).join(''))
}

// === the whole event as the action sees it
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify(event))
}

// === the event's and the api's members are ordinary data properties, before and after they are read
exports.onExecutePostLogin = async (event, api) => {
  const describe = (o, k) => JSON.stringify(Object.getOwnPropertyDescriptor(o, k), (key, v) => typeof v === 'object' && key === 'value' ? typeof v : v)
  console.log(Object.keys(event).join(','), Object.keys(api).join(','))
  console.log(describe(event, 'stats'), describe(event, 'request'), describe(api, 'access'), describe(api, 'redirect'))
  event.connection = 'replaced'
  const { client, ...rest } = event
  console.log(event.connection, typeof client, Object.keys(rest).join(','), 'stats' in event, delete event.stats, 'stats' in event)
}
