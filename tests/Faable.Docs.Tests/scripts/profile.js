// Asks users without a name for one, and notes on the way back that the profile was completed.
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.name) api.redirect.sendUserTo('https://shop.example.com/profile')
}
exports.onContinuePostLogin = async (event, api) => {
  api.access.review('profile_completed')
}
