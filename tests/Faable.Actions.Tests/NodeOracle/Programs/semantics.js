// Programs for the JS semantics the emulator fixed; each would differ from Node without its fix.

// === thenable returned by the handler is awaited
exports.onExecutePostLogin = (event, api) => ({
  then(resolve) { api.access.deny('thenable ran', { code: 'thenable' }); resolve() },
})

// === async handler returning a thenable
exports.onExecutePostLogin = async (event, api) => {
  return { then(resolve) { setTimeout(() => { api.access.deny('late thenable'); resolve(1) }, 5) } }
}

// === unknown global inside try/catch is a catchable ReferenceError
exports.onExecutePostLogin = async (event, api) => {
  try { someUndeclaredHelper() } catch (e) { console.log(e.name, e instanceof ReferenceError) }
}

// === unknown global behind typeof
exports.onExecutePostLogin = async (event, api) => {
  if (typeof Deno !== 'undefined') api.access.deny('deno')
  console.log(typeof Deno, typeof Bun)
}

// === unknown global reached fails with ReferenceError
// @message-differs
exports.onExecutePostLogin = async (event, api) => {
  notDefinedAnywhere.call()
}

// === queueMicrotask runs before timers and after sync code
exports.onExecutePostLogin = async (event, api) => {
  const order = []
  setTimeout(() => order.push('timeout'), 0)
  queueMicrotask(() => order.push('microtask'))
  Promise.resolve().then(() => order.push('promise'))
  order.push('sync')
  await new Promise(r => setTimeout(r, 1))
  console.log(order.join(','))
}

// === normalize NFD and NFC
exports.onExecutePostLogin = async (event, api) => {
  const s = 'Zoë'
  console.log(s.normalize('NFD').length, s.normalize('NFC').length, s.normalize('NFD') === 'Zoe\u0308')
  console.log('\u212B'.normalize('NFKC').codePointAt(0).toString(16), 'ﬁ'.normalize('NFKD'))
}

// === sloppy mode assignment to an undeclared name
exports.onExecutePostLogin = async (event, api) => {
  implicitGlobal = 5
  console.log(String(implicitGlobal), typeof globalThis.implicitGlobal)
}

// === use strict makes undeclared assignment throw
// @message-differs
'use strict'
exports.onExecutePostLogin = async (event, api) => {
  strictImplicit = 5
}

// === module this is module.exports
this.onExecutePostLogin = async (event, api) => { api.access.deny('via this') }

// === eval and new Function run as in Node
exports.onExecutePostLogin = async (event, api) => {
  const f = new Function('a', 'b', 'return a * b')
  console.log(eval('1 + 2'), f(6, 7), (0, eval)('typeof globalThis'))
}

// === an exception in a queueMicrotask callback fails the action
exports.onExecutePostLogin = async (event, api) => {
  queueMicrotask(() => { throw new Error('thrown in a microtask') })
  await new Promise(r => setTimeout(r, 1))
  api.access.deny('not reached as the outcome')
}

// === an exception in a timer callback fails the action
exports.onExecutePostLogin = async (event, api) => {
  setTimeout(() => { throw new TypeError('thrown in a timer') }, 0)
  await new Promise(r => setTimeout(r, 5))
}

// === typed array and buffer globals first reached through the global object keep their identities and attributes
exports.onExecutePostLogin = async (event, api) => {
  const g = Function('return this')()
  const d = Object.getOwnPropertyDescriptor(g, 'Float64Array')
  console.log(typeof d.value, d.writable, d.enumerable, d.configurable, Object.keys(g).includes('ArrayBuffer'))
  const buffer = new g.Int16Array(3).buffer
  console.log(buffer.constructor === ArrayBuffer, buffer.constructor === g.ArrayBuffer, ArrayBuffer.name, ArrayBuffer.length)
  console.log(Int16Array.prototype.constructor === Int16Array, Object.getPrototypeOf(Int16Array) === Object.getPrototypeOf(Uint8Array))
  console.log(new Float32Array(2) instanceof Float32Array, Uint8Array.BYTES_PER_ELEMENT, Float64Array.BYTES_PER_ELEMENT, typeof SharedArrayBuffer)
  Uint8Array = 5
  console.log(Uint8Array, delete g.Int8Array, typeof g.Int8Array)
}
