// Progressive profiling: ask for a missing email, and refuse to finish without one.
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.email) api.redirect.sendUserTo('https://shop.example.com/complete-profile')
}
exports.onContinuePostLogin = async (event, api) => {
  if (!event.user.email) api.access.deny('An email address is required.', { code: 'profile_incomplete' })
}
