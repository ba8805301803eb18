// Progressive profiling: a social login without a public email (GitHub with a private address) is sent to the
// Orders profile page to add one, and the sign-in is refused if the user comes back through /continue without it.
exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.email) {
    console.log(`no email for ${event.user.user_id} (${event.connection.name}); asking for one`)
    api.redirect.sendUserTo('http://localhost:5080/profile')
  }
}

exports.onContinuePostLogin = async (event, api) => {
  if (!event.user.email) api.access.deny('An email address is required.', { code: 'profile_incomplete' })
}
