// Refuses logins from datacenter addresses.
exports.onExecutePostLogin = async (event, api) => {
  if (event.request.ip_datacenter) api.access.deny('Sign in from your own network.', { code: 'datacenter' })
}
