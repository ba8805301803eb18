// Promises, async/await, thenables, microtasks and timers.

// === Promise.all keeps order
exports.onExecutePostLogin = async (event, api) => {
  const delay = (v, ms) => new Promise(r => setTimeout(() => r(v), ms))
  const values = await Promise.all([delay('a', 20), delay('b', 5), 'c', Promise.resolve('d')])
  console.log(values.join(''))
}

// === Promise.all rejects with the first rejection
exports.onExecutePostLogin = async (event, api) => {
  try { await Promise.all([Promise.resolve(1), Promise.reject(new Error('first')), new Promise((_, r) => setTimeout(() => r(new Error('second')), 5))]) }
  catch (e) { console.log(e.message) }
}

// === Promise.race
exports.onExecutePostLogin = async (event, api) => {
  const winner = await Promise.race([new Promise(r => setTimeout(() => r('slow'), 30)), new Promise(r => setTimeout(() => r('fast'), 5))])
  console.log(winner)
}

// === Promise.allSettled
exports.onExecutePostLogin = async (event, api) => {
  const r = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('no')), 3])
  console.log(r.map(x => x.status + ':' + (x.value ?? x.reason.message)).join(' '))
}

// === Promise.any and AggregateError
exports.onExecutePostLogin = async (event, api) => {
  console.log(await Promise.any([Promise.reject(new Error('a')), Promise.resolve('b')]))
  try { await Promise.any([Promise.reject(new Error('x')), Promise.reject(new Error('y'))]) }
  catch (e) { console.log(e.constructor.name, e.errors.map(x => x.message).join(',')) }
}

// === microtask order of then chains
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  Promise.resolve().then(() => log.push('a1')).then(() => log.push('a2')).then(() => log.push('a3'))
  Promise.resolve().then(() => log.push('b1')).then(() => log.push('b2'))
  queueMicrotask(() => log.push('q'))
  log.push('sync')
  await null
  await null
  await null
  await null
  console.log(log.join(','))
}

// === await of a thenable takes extra ticks
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  const thenable = { then(r) { log.push('then called'); r('t') } }
  const p = (async () => { log.push('start'); const v = await thenable; log.push('got ' + v) })()
  Promise.resolve().then(() => log.push('tick1')).then(() => log.push('tick2')).then(() => log.push('tick3'))
  log.push('sync end')
  await p
  await new Promise(r => setTimeout(r, 0))
  console.log(log.join(' | '))
}

// === async function returning a promise adopts it
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  async function inner() { return Promise.resolve('x') }
  inner().then(() => log.push('inner'))
  Promise.resolve().then(() => log.push('p1')).then(() => log.push('p2')).then(() => log.push('p3'))
  await new Promise(r => setTimeout(r, 0))
  console.log(log.join(','))
}

// === setTimeout order by delay
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  setTimeout(() => log.push('40'), 40)
  setTimeout(() => log.push('0'), 0)
  setTimeout(() => log.push('20'), 20)
  await new Promise(r => setTimeout(r, 60))
  console.log(log.join(','))
}

// === microtasks between timers
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  setTimeout(() => { log.push('t1'); Promise.resolve().then(() => log.push('t1 micro')) }, 0)
  setTimeout(() => log.push('t2'), 0)
  await new Promise(r => setTimeout(r, 5))
  console.log(log.join(','))
}

// === clearTimeout cancels
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  const id = setTimeout(() => log.push('cancelled'), 0)
  setTimeout(() => log.push('kept'), 0)
  clearTimeout(id)
  await new Promise(r => setTimeout(r, 5))
  console.log(log.join(','))
}

// === setTimeout passes extra arguments
exports.onExecutePostLogin = async (event, api) => {
  const v = await new Promise(r => setTimeout((a, b) => r(a + b), 1, 'x', 'y'))
  console.log(v)
}

// === closures across awaits in loops
exports.onExecutePostLogin = async (event, api) => {
  const fns = []
  for (let i = 0; i < 3; i++) { await null; fns.push(() => i) }
  var out = []
  for (var j = 0; j < 3; j++) { await Promise.resolve(); out.push(() => j) }
  console.log(fns.map(f => f()).join(''), out.map(f => f()).join(''))
}

// === closure state kept across awaits
exports.onExecutePostLogin = async (event, api) => {
  function counter() { let n = 0; return async () => { const before = n; await new Promise(r => setTimeout(r, 1)); n = before + 1; return n } }
  const c = counter()
  const results = await Promise.all([c(), c(), c()])
  console.log(results.join(','), await c())
}

// === async iteration with for await
exports.onExecutePostLogin = async (event, api) => {
  async function* source() { for (const r of event.user.app_metadata.roles) { await null; yield r } }
  const got = []
  for await (const r of source()) got.push(r)
  for await (const v of [Promise.resolve(1), 2]) got.push(v)
  console.log(got.join(','))
}

// === try catch around await rejection
exports.onExecutePostLogin = async (event, api) => {
  try { await new Promise((_, r) => setTimeout(() => r(new TypeError('late')), 1)) } catch (e) { console.log('caught', e.name, e.message) }
}

// === unawaited rejection inside handler does not fail the flow when caught later
exports.onExecutePostLogin = async (event, api) => {
  const p = Promise.reject(new Error('later'))
  await null
  try { await p } catch (e) { console.log('handled', e.message) }
}

// === rejection of the handler fails the action
exports.onExecutePostLogin = async (event, api) => {
  await new Promise(r => setTimeout(r, 1))
  throw new Error('async failure after a timer')
}

// === deny after awaits then flow stops
exports.onExecutePostLogin = async (event, api) => {
  const score = await new Promise(r => setTimeout(() => r(event.request.ip_network_active_blocks), 2))
  if (score > 1) api.access.deny('network blocked', { code: 'net_block' })
  api.access.review('checked')
}

// === deny wins over a redirect in the same action
exports.onExecutePostLogin = async (event, api) => {
  api.redirect.sendUserTo('https://shop.example.com/verify')
  await null
  api.access.deny('denied after redirect', { code: 'both' })
}

// === redirect for the progressive profile
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.user_metadata.phone) api.redirect.sendUserTo('https://shop.example.com/complete-profile?field=phone')
}

// === reviews keep order
exports.onExecutePostLogin = async (event, api) => {
  api.access.review('first')
  await null
  api.access.review('second', { n: 2 })
  setTimeout(() => api.access.review('third'), 0)
  await new Promise(r => setTimeout(r, 1))
}

// === sync handler that throws
exports.onExecutePostLogin = (event, api) => {
  throw new SyntaxError('sync throw')
}

// === sync handler that denies
exports.onExecutePostLogin = function (event, api) {
  api.access.deny('sync deny')
}

// === promise constructor executor throws
exports.onExecutePostLogin = async (event, api) => {
  const r = await new Promise(() => { throw new Error('in executor') }).catch(e => 'recovered ' + e.message)
  console.log(r)
}

// === then with non-function arguments passes through
exports.onExecutePostLogin = async (event, api) => {
  console.log(await Promise.resolve(5).then(null).then(undefined, null).then(v => v * 2), await Promise.reject(new Error('r')).then(1).catch(e => e.message))
}

// === finally passes values through
exports.onExecutePostLogin = async (event, api) => {
  const log = []
  const v = await Promise.resolve('v').finally(() => { log.push('f1'); return 'ignored' })
  const w = await Promise.reject(new Error('e')).finally(() => log.push('f2')).catch(e => e.message)
  console.log(v, w, log.join(','))
}

// === console levels
exports.onExecutePostLogin = async (event, api) => {
  console.log('log line'); console.info('info line'); console.warn('warn line'); console.error('error line'); console.debug('debug line')
}

// === console with several primitive arguments
exports.onExecutePostLogin = async (event, api) => {
  console.log('a', 1, true, null, undefined, 2n, -0, 0.1 + 0.2)
}

// === console format specifiers
exports.onExecutePostLogin = async (event, api) => {
  console.log('%s has %d roles (%i%%)', event.user.nickname, event.user.app_metadata.roles.length, 42.9)
  console.log('%s', 'only', 'extra', 3)
  console.log('100%', 'done')
  console.log('%j stays', 1)
}
