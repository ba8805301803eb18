// Language features: arrays and sort stability, errors, classes, destructuring.

// === sort is stable
exports.onExecutePostLogin = async (event, api) => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ k: i % 3, i }))
  rows.sort((a, b) => a.k - b.k)
  console.log(rows.map(r => r.i).join(','))
}

// === default sort is by UTF-16 string
exports.onExecutePostLogin = async (event, api) => {
  console.log([10, 9, 1, 100, -1].sort().join(','), ['b', 'B', 'a', 'é', 'Z', '😀', '\uffff'].sort().join(','), [3, undefined, 1, , 2].sort().length)
}

// === toSorted toReversed with and at
exports.onExecutePostLogin = async (event, api) => {
  const a = [3, 1, 2]
  console.log(a.toSorted().join(''), a.toReversed().join(''), a.with(0, 9).join(''), a.join(''), a.at(-1), a.findLast(x => x > 1), a.findLastIndex(x => x > 5))
}

// === array methods chain
exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.app_metadata.roles
  console.log(roles.map(r => r.toUpperCase()).filter(r => r.length > 4).join('|'), roles.some(r => r === 'admin'), roles.every(Boolean), roles.flatMap(r => [r, r.length]).join(','))
}

// === flat depth and holes
exports.onExecutePostLogin = async (event, api) => {
  console.log(JSON.stringify([1, [2, [3, [4]]], , 5].flat()), JSON.stringify([1, [2, [3, [4]]]].flat(Infinity)), [, 1].length, 0 in [, 1])
}

// === reduce without initial value on empty throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  try { [].reduce((a, b) => a + b) } catch (e) { console.log(e.name) }
}

// === Array from, of, fill, copyWithin
exports.onExecutePostLogin = async (event, api) => {
  console.log(Array.from('abc', c => c + c).join(), Array.of(7).length, new Array(3).fill(0).join(), [1, 2, 3, 4, 5].copyWithin(0, 3).join(), Array.from({ length: 2, 0: 'x' }).join('|'))
}

// === Set and Map ordering
exports.onExecutePostLogin = async (event, api) => {
  const m = new Map([['b', 1], ['a', 2]])
  m.set('b', 3).set('c', 4)
  m.delete('a')
  const s = new Set([3, 1, 3, 2])
  console.log([...m].join(';'), [...s].join(','), m.size, s.has(2))
}

// === error kinds thrown by the engine
exports.onExecutePostLogin = async (event, api) => {
  const probes = [() => null.x, () => undefinedName, () => new Array(-1), () => (1).toFixed(200), () => decodeURI('%'), () => { const c = 1; c = 2 }, () => JSON.parse('{'), () => Symbol() + '']
  console.log(probes.map(p => { try { p(); return 'none' } catch (e) { return e.constructor.name } }).join(','))
}

// === uncaught TypeError fails the action
// @message-differs
exports.onExecutePostLogin = async (event, api) => {
  const profile = event.user.user_metadata.profile
  console.log('before')
  return profile.email
}

// === thrown Error with message fails with the same message
exports.onExecutePostLogin = async (event, api) => {
  throw new RangeError('score out of range: ' + event.user.user_metadata.score)
}

// === thrown string fails as a non-error
exports.onExecutePostLogin = async (event, api) => {
  throw 'plain string'
}

// === custom error subclass
exports.onExecutePostLogin = async (event, api) => {
  class PolicyError extends Error {
    constructor(message, code) { super(message); this.name = 'PolicyError'; this.code = code }
  }
  try { throw new PolicyError('blocked', 'p1') } catch (e) {
    console.log(e instanceof PolicyError, e instanceof Error, e.name, e.message, e.code, String(e), Object.prototype.toString.call(e))
  }
  throw new PolicyError('final', 'p2')
}

// === error cause and AggregateError
exports.onExecutePostLogin = async (event, api) => {
  const e = new Error('outer', { cause: new TypeError('inner') })
  const a = new AggregateError([new Error('x'), new Error('y')], 'many')
  console.log(e.cause.name, e.cause.message, a.name, a.errors.length, a.message)
}

// === finally overrides return
exports.onExecutePostLogin = async (event, api) => {
  function f() { try { return 'try' } finally { console.log('finally ran') } }
  function g() { try { throw new Error('x') } catch { return 'caught' } finally { } }
  console.log(f(), g())
}

// === classes with private fields and methods
exports.onExecutePostLogin = async (event, api) => {
  class Counter {
    #count = 0
    static #instances = 0
    constructor() { Counter.#instances++ }
    #bump() { return ++this.#count }
    inc() { return this.#bump() }
    static get instances() { return Counter.#instances }
    static has(o) { return #count in o }
  }
  const c = new Counter(); c.inc(); c.inc()
  new Counter()
  console.log(c.inc(), Counter.instances, Counter.has(c), Counter.has({}), Object.keys(c).length, JSON.stringify(c))
}

// === private field access on wrong object throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  class A { #x = 1; static read(o) { return o.#x } }
  try { A.read({}) } catch (e) { console.log(e.name) }
}

// === class getters setters static blocks and inheritance
exports.onExecutePostLogin = async (event, api) => {
  class Base { static label; static { Base.label = 'base' } get kind() { return 'base' } describe() { return `${this.kind}:${this.constructor.name}` } }
  class Child extends Base { get kind() { return 'child/' + super.kind } }
  console.log(new Child().describe(), Base.label, Object.getPrototypeOf(Child) === Base, typeof Child)
}

// === class fields initialization order
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  class A { a = log.push('A field'); constructor() { log.push('A ctor') } }
  class B extends A { b = log.push('B field'); constructor() { log.push('B before super'); super(); log.push('B ctor') } }
  new B()
  console.log(log.join(' > '))
}

// === calling a class without new throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  class A {}
  try { A() } catch (e) { console.log(e.name) }
}

// === destructuring with defaults and rest
exports.onExecutePostLogin = async (event, api) => {
  const { user: { email, app_metadata: { plan = 'free', missing = 'default', ...restMeta } }, request: { ip } } = event
  const [first, , third = 'none', ...others] = ['a', 'b', undefined, 'd', 'e']
  console.log(email, plan, missing, Object.keys(restMeta).join(','), ip, first, third, others.join(''))
}

// === destructuring null throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  try { const { a } = null } catch (e) { console.log(e.name) }
}

// === spread objects order and overrides
exports.onExecutePostLogin = async (event, api) => {
  const merged = { ...event.user.user_metadata, theme: 'light', ...{ extra: true }, ...null, ...'hi' }
  console.log(JSON.stringify(merged), JSON.stringify([...'ab', ...new Set([1, 1, 2])]))
}

// === optional chaining and nullish coalescing
exports.onExecutePostLogin = async (event, api) => {
  const m = event.user.app_metadata
  console.log(m?.missing?.deep, m.roles?.[1], m.fn?.(), event.user.phone ?? 'no phone', 0 ?? 1, '' || 'empty', null?.x)
}

// === logical assignment
exports.onExecutePostLogin = async (event, api) => {
  const o = { a: 0, b: null, c: 'x' }
  o.a ||= 5; o.b ??= 6; o.c &&= 'y'
  console.log(JSON.stringify(o))
}

// === getters on object literals and Object.defineProperty
exports.onExecutePostLogin = async (event, api) => {
  const o = { get full() { return event.user.given_name + ' ' + event.user.family_name } }
  Object.defineProperty(o, 'hidden', { value: 1, enumerable: false })
  console.log(o.full, Object.keys(o).join(','), o.hidden, JSON.stringify(Object.getOwnPropertyDescriptor(o, 'hidden')))
}

// === frozen objects in sloppy mode ignore writes
exports.onExecutePostLogin = async (event, api) => {
  const o = Object.freeze({ a: 1 })
  o.a = 2
  console.log(o.a, Object.isFrozen(o))
}

// === generators and iterators
exports.onExecutePostLogin = async (event, api) => {
  function* ids() { let i = 0; while (true) { const reset = yield i++; if (reset) i = 0 } }
  const g = ids()
  console.log(g.next().value, g.next().value, g.next(true).value, g.return(9).value, g.next().done)
}

// === symbols and well-known symbols
exports.onExecutePostLogin = async (event, api) => {
  const o = { [Symbol.toPrimitive](hint) { return hint === 'number' ? 42 : 'str' } }
  console.log(+o, `${o}`, o + '', Symbol('d').description, Symbol.for('k') === Symbol.for('k'))
}

// === Proxy and Reflect
exports.onExecutePostLogin = async (event, api) => {
  const p = new Proxy({}, { get: (t, k) => k === 'x' ? 1 : Reflect.get(t, k), has: () => true })
  console.log(p.x, p.y, 'anything' in p, Reflect.ownKeys({ a: 1, [Symbol.iterator]: 0 }).length)
}

// === typeof and instanceof table
exports.onExecutePostLogin = async (event, api) => {
  console.log([null, undefined, 1, 'a', true, {}, [], () => 1, Symbol(), 1n, new Date(0), /x/].map(v => typeof v).join(','), [] instanceof Object, Array.isArray([]))
}

// === labeled loops and switch fallthrough
exports.onExecutePostLogin = async (event, api) => {
  const out = []
  outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 2) continue outer; if (i === 2) break outer; out.push(`${i}${j}`) } }
  switch (event.connection.strategy) { case 'github': out.push('gh'); case 'google': out.push('fall'); break; default: out.push('x') }
  console.log(out.join(' '))
}

// === var hoisting and TDZ
exports.onExecutePostLogin = async (event, api) => {
  console.log(typeof hoisted, hoisted)
  var hoisted = 1
  try { tdz; let tdz = 1 } catch (e) { console.log(e.name) }
}

// === arguments object and default params
exports.onExecutePostLogin = async (event, api) => {
  function f(a, b = a + 1, ...rest) { return [arguments.length, a, b, rest.length].join(',') }
  console.log(f(1), f(1, undefined, 3, 4), f.length, ((a, b) => 0).length)
}

// === WeakMap and WeakRef existence
exports.onExecutePostLogin = async (event, api) => {
  const wm = new WeakMap(); const k = {}
  wm.set(k, 'v')
  console.log(wm.get(k), typeof WeakRef, typeof FinalizationRegistry, wm.has({}))
}

// === structuredClone of plain data with cycles
exports.onExecutePostLogin = async (event, api) => {
  const src = { user: event.user, when: new Date(0), tags: new Set(['a']), map: new Map([['k', [1, 2]]]), re: /x/gi, list: [1, , 3] }
  src.self = src
  const c = structuredClone(src)
  c.user.app_metadata.plan = 'changed'
  console.log(event.user.app_metadata.plan, c.self === c, c.when instanceof Date, c.when.getTime(), [...c.tags].join(), JSON.stringify([...c.map]), String(c.re), c.list.length, 1 in c.list)
}

// === structuredClone refuses functions and symbols
exports.onExecutePostLogin = async (event, api) => {
  for (const v of [() => 1, Symbol('s'), { f() {} }]) {
    try { structuredClone(v); console.log('cloned') } catch (e) { console.log(e.name, e instanceof Error) }
  }
}

// === structuredClone of class instances and errors
exports.onExecutePostLogin = async (event, api) => {
  class Point { constructor() { this.x = 1 } get len() { return 2 } }
  const p = structuredClone(new Point())
  const e = structuredClone(new RangeError('bad', { cause: 'why' }))
  console.log(p instanceof Point, JSON.stringify(p), e instanceof RangeError, e.name, e.message, e.cause)
}
