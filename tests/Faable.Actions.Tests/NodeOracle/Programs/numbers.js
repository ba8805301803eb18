// Number formatting and arithmetic.

// === toFixed rounding
exports.onExecutePostLogin = async (event, api) => {
  console.log((1.005).toFixed(2), (1.45).toFixed(1), (0.5).toFixed(0), (1.5).toFixed(0), (2.5).toFixed(0), (-1.5).toFixed(0), (1e21).toFixed(2))
}

// === toPrecision and toExponential
exports.onExecutePostLogin = async (event, api) => {
  console.log((123.456).toPrecision(4), (0.000123).toPrecision(2), (123456).toPrecision(2), (1234.5678).toExponential(2), (0).toExponential())
}

// === number to string shortest round trip
exports.onExecutePostLogin = async (event, api) => {
  console.log(0.1 + 0.2, 1 / 3, 100 / 3, 5e-7, 123e20, 123e21, 2 ** 53 + 1, -0, 1e-7, 0.000001)
}

// === toString radix
exports.onExecutePostLogin = async (event, api) => {
  console.log((255).toString(16), (255).toString(2), (-255).toString(36), (0.5).toString(2), (3.75).toString(16))
}

// === parseInt and parseFloat edge cases
exports.onExecutePostLogin = async (event, api) => {
  console.log(parseInt('08'), parseInt('0x1f'), parseInt('12px'), parseInt(''), parseFloat('3.14abc'), parseFloat('.5'), parseInt('1e3'), parseFloat('1e3'), parseInt(0.0000005))
}

// === Number conversion
exports.onExecutePostLogin = async (event, api) => {
  console.log(Number(''), Number(' 12 '), Number('12px'), Number(null), Number(undefined), Number([]), Number([5]), Number('0b101'), Number('0o17'), +true)
}

// === Number static predicates
exports.onExecutePostLogin = async (event, api) => {
  console.log(Number.isInteger(5.0), Number.isSafeInteger(2 ** 53), Number.isNaN('x'), isNaN('x'), Number.isFinite('1'), isFinite('1'), Number.EPSILON > 0)
}

// === Math functions
exports.onExecutePostLogin = async (event, api) => {
  console.log(Math.round(-2.5), Math.round(2.5), Math.round(-0.4), Math.trunc(-4.7), Math.sign(-3), Math.cbrt(27), Math.hypot(3, 4), Math.max(), Math.min(), Math.clz32(1))
}

// === Math precision functions
exports.onExecutePostLogin = async (event, api) => {
  console.log(Math.fround(5.5), Math.fround(5.05), Math.log10(1000), Math.log2(8), Math.expm1(0), Math.imul(3, 4), Math.sqrt(2))
}

// === toLocaleString en-US
exports.onExecutePostLogin = async (event, api) => {
  console.log((1234567.891).toLocaleString('en-US'), (0.5).toLocaleString('en-US', { style: 'percent' }))
}

// === Intl NumberFormat currency
exports.onExecutePostLogin = async (event, api) => {
  console.log(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(1234.5))
}

// === integer division and modulo with negatives
exports.onExecutePostLogin = async (event, api) => {
  console.log(-7 % 3, 7 % -3, -7 / 2 | 0, Math.floor(-7 / 2), 5.5 % 2, 2 ** -1, (-8) ** (1 / 3))
}

// === bitwise operations
exports.onExecutePostLogin = async (event, api) => {
  console.log(1 << 31, (1 << 31) >>> 0, ~5, 5 ^ 3, -1 >>> 28, 2 ** 32 | 0, 0xff & 0x0f)
}

// === BigInt arithmetic
exports.onExecutePostLogin = async (event, api) => {
  const big = 2n ** 64n
  console.log(String(big), String(big / 3n), String(-7n % 3n), typeof big, BigInt('123456789012345678901234567890') * 2n + '', BigInt.asUintN(8, 257n) + '')
}

// === BigInt mixing with number throws TypeError
exports.onExecutePostLogin = async (event, api) => {
  try { 1n + 1 } catch (e) { console.log(e.name) }
}

// === NaN and Infinity behaviour
exports.onExecutePostLogin = async (event, api) => {
  console.log(NaN === NaN, Object.is(NaN, NaN), Object.is(0, -0), 1 / 0, -1 / 0, 0 / 0, Infinity - Infinity, [NaN].includes(NaN), [NaN].indexOf(NaN))
}

// === Number MAX and MIN values
exports.onExecutePostLogin = async (event, api) => {
  console.log(Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_VALUE * 2, 9007199254740993)
}

// === account age in days from stats
exports.onExecutePostLogin = async (event, api) => {
  const days = Math.floor(event.stats.account_age_ms / 86400000)
  console.log(days, (event.stats.account_age_ms / 3600000).toFixed(3))
}

// === rounding to cents
exports.onExecutePostLogin = async (event, api) => {
  const prices = [19.99, 5.005, 0.1 * 3, 1.255]
  console.log(prices.map(p => Math.round(p * 100) / 100).join(' '), prices.reduce((a, b) => a + b, 0))
}

// === numeric separators and literals
exports.onExecutePostLogin = async (event, api) => {
  console.log(1_000_000, 0b1010, 0o777, 0xABCDEF, .5e1, 1e+2)
}
