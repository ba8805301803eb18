// Dates: parsing, ISO strings, arithmetic in UTC.

// === parse ISO and toISOString
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date(event.user.created_at)
  console.log(d.toISOString(), d.getTime(), d.getUTCDay(), d.getUTCMilliseconds())
}

// === date arithmetic add days across month end
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date(Date.UTC(2026, 0, 31))
  d.setUTCDate(d.getUTCDate() + 1)
  const e = new Date(Date.UTC(2024, 1, 28, 23, 59, 59, 999) + 1)
  console.log(d.toISOString(), e.toISOString())
}

// === setUTCMonth overflow
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date(Date.UTC(2026, 0, 31))
  d.setUTCMonth(1)
  console.log(d.toISOString())
}

// === difference in days between ISO dates
exports.onExecutePostLogin = async (event, api) => {
  const days = (Date.parse('2026-03-01T00:00:00Z') - Date.parse(event.user.created_at)) / 86400000
  console.log(days.toFixed(4), Math.floor(days))
}

// === date-only strings are UTC, date-time without zone is local
exports.onExecutePostLogin = async (event, api) => {
  console.log(new Date('2026-03-01').toISOString(), Date.parse('2026-03-01T00:00:00Z') === Date.parse('2026-03-01'))
}

// === invalid date
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date('not a date')
  console.log(isNaN(d.getTime()), String(d), JSON.stringify({ d }))
  try { d.toISOString() } catch (e) { console.log(e.name) }
}

// === Date.UTC components and overflow
exports.onExecutePostLogin = async (event, api) => {
  console.log(Date.UTC(2026, 12, 1), Date.UTC(2026, 1, 29), Date.UTC(99, 0), new Date(Date.UTC(-1, 0)).toISOString())
}

// === extended years in ISO strings
exports.onExecutePostLogin = async (event, api) => {
  console.log(new Date(8.64e15).toISOString(), new Date(-62198755200000).toISOString(), String(new Date(8.64e15 + 1).getTime()))
}

// === parse various ISO forms
exports.onExecutePostLogin = async (event, api) => {
  const forms = ['2026-03-01T10:20:30.123Z', '2026-03-01T10:20:30+02:00', '2026-03-01T10:20Z', '2026-03', '2026', '+002026-03-01T00:00:00Z']
  console.log(forms.map(f => Date.parse(f)).join(' '))
}

// === terms accepted before a cutoff
exports.onExecutePostLogin = async (event, api) => {
  const accepted = new Date(event.user.app_metadata.terms_accepted_at)
  if (accepted < new Date('2026-02-01T00:00:00Z')) api.access.review('old_terms')
  console.log(accepted.getUTCFullYear(), accepted.valueOf())
}

// === UTC getters
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date(Date.UTC(2026, 2, 1, 23, 5, 9, 7))
  console.log(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCDay())
}

// === toJSON and JSON round trip
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date(Date.UTC(2020, 1, 29, 12))
  const back = new Date(JSON.parse(JSON.stringify({ d })).d)
  console.log(d.toJSON(), back.getTime() === d.getTime())
}

// === Date comparison and sorting
exports.onExecutePostLogin = async (event, api) => {
  const ds = ['2026-01-02', '2025-12-31', '2026-01-01'].map(s => new Date(s))
  ds.sort((a, b) => a - b)
  console.log(ds.map(d => d.toISOString().slice(0, 10)).join(','), ds[0] < ds[1], +ds[2])
}

// === time zone offsets in parsed strings
exports.onExecutePostLogin = async (event, api) => {
  const a = new Date('2026-03-01T01:00:00+05:30')
  const b = new Date('2026-02-28T19:30:00.000Z')
  console.log(a.getTime() === b.getTime(), a.toISOString())
}

// === setTime and clamping to range
exports.onExecutePostLogin = async (event, api) => {
  const d = new Date(0)
  d.setTime(8.64e15 + 1)
  console.log(isNaN(d), new Date(1.5).getTime(), new Date(-1.5).getTime())
}
