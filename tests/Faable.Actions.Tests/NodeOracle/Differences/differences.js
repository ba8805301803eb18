// Deliberate differences between the emulator and Node; NodeOracleDifferenceTests checks each side.

// === require of a host module
const crypto = require('node:crypto')
exports.onExecutePostLogin = async (event, api) => {
  api.access.deny(crypto.createHash('sha256').update(event.user.user_id).digest('hex').slice(0, 8))
}

// === Node host globals
exports.onExecutePostLogin = async (event, api) => {
  console.log(typeof Buffer, typeof process, typeof setInterval, typeof setImmediate)
}

// === console.log of an object
exports.onExecutePostLogin = async (event, api) => {
  console.log({ plan: event.user.app_metadata.plan, n: 1 })
}

// === built-ins newer than Node 20
exports.onExecutePostLogin = async (event, api) => {
  console.log(typeof Object.groupBy, typeof Promise.withResolvers)
}

// === fetch without a host handler
exports.onExecutePostLogin = async (event, api) => {
  try { await fetch('https://api.example.com/risk') } catch (e) { console.log(e.name) }
}

// === recursion deeper than the emulator's limit
exports.onExecutePostLogin = async (event, api) => {
  const depth = n => n === 0 ? 0 : 1 + depth(n - 1)
  console.log(depth(1000))
}

// === a rejection nobody handles
exports.onExecutePostLogin = async (event, api) => {
  Promise.reject(new Error('never handled'))
  await null
}
