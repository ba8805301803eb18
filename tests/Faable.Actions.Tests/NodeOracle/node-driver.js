// Runs action programs in Node the way Faable runs an action: the source as the body of a CommonJS function of
// (exports, module, require), handed an `event` and an `api` of the contract's shape, one program after the other.
// Reads { event, programs: [{ name, code }] } as JSON on stdin; writes one outcome per program as JSON.
'use strict'
const vm = require('node:vm')
const util = require('node:util')
const { createRequire } = require('node:module')

const TIMEOUT_MS = 5000

function describeError(value) {
  if (value !== null && typeof value === 'object' && 'message' in value && 'stack' in value) {
    return { kind: String(value.name), message: String(value.message) }
  }
  return { kind: 'non-error', message: '' }
}

// Node ends the process on an uncaught exception (a throwing timer or microtask callback) and, by default, on a
// rejection nobody handles: for the action, both end the run with that error.
let current = null
process.on('uncaughtException', e => { if (current && current.uncaught === undefined) current.uncaught = e })
process.on('unhandledRejection', e => { if (current && current.uncaught === undefined) current.uncaught = e })

async function runOne(program, eventJson) {
  const outcome = { name: program.name, denial: null, redirect: null, reviews: [], console: [], error: null }
  const run = { uncaught: undefined }
  current = run
  let open = true
  const record = f => { if (open) f() }

  const api = {
    access: {
      deny(reason, options) { record(() => { if (outcome.denial === null) outcome.denial = { reason: String(reason), code: options && options.code !== undefined ? String(options.code) : null } }) },
      review(code) { record(() => outcome.reviews.push(String(code))) },
    },
    redirect: {
      sendUserTo(url) { record(() => { if (outcome.redirect === null) outcome.redirect = String(url) }) },
    },
  }

  const consoleFor = level => (...args) => record(() => outcome.console.push({ level, text: util.format(...args) }))
  const console = { log: consoleFor('log'), info: consoleFor('info'), debug: consoleFor('debug'), warn: consoleFor('warn'), error: consoleFor('error') }
  // No network in tests: Node's fetch rejects with TypeError('fetch failed') when it cannot connect.
  const fetch = () => Promise.reject(new TypeError('fetch failed'))
  const event = JSON.parse(JSON.stringify(eventJson))
  // Faable computes the ip_* request fields only for actions whose source names them; elsewhere they are undefined.
  for (const field of ['ip_datacenter', 'ip_active_blocks', 'ip_network_active_blocks']) {
    if (!program.code.includes(field)) delete event.request[field]
  }

  let timer
  try {
    // Compiled as Node's CommonJS loader compiles a module, in this realm (so built-ins and Node's globals are the
    // real ones); console and fetch are the run's own, passed as parameters that shadow the globals.
    const factory = vm.runInThisContext('(function (exports, module, require, console, fetch) {' + program.code + '\n})', { filename: 'action.js' })
    const module = { exports: {} }
    // Node's own require: the deliberate-difference programs show what the emulator refuses.
    const require = createRequire(__filename)
    factory.call(module.exports, module.exports, module, require, console, fetch)
    const handler = module.exports.onExecutePostLogin
    if (typeof handler !== 'function') throw new Error('no onExecutePostLogin export')
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { timeout: true })), TIMEOUT_MS) })
    await Promise.race([(async () => await handler(event, api))(), timeout])
    // Let Node report a rejection left unhandled by the handler's last turn.
    await new Promise(r => setImmediate(r))
    if (run.uncaught !== undefined) throw run.uncaught
  } catch (e) {
    outcome.error = e && e.timeout === true ? { kind: 'timeout', message: '' } : describeError(e)
  } finally {
    clearTimeout(timer)
    open = false
    current = null
  }
  return outcome
}

async function main() {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const results = []
  for (const program of input.programs) results.push(await runOne(program, input.event))
  process.stdout.write(JSON.stringify(results))
}

main().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1) })
