namespace Faable.Actions.Tests.EndToEnd;

/// <summary>The two actions of the platform contract (section 4), verbatim.</summary>
internal static class SpecActions
{
    public const string Gate = """
        // Gate: unverified emails are refused; everyone else must have accepted the terms.
        exports.onExecutePostLogin = async (event, api) => {
          if (event.user.email_verified !== true) {
            return api.access.deny('Verify your email address first.')
          }
          if (!event.user.app_metadata?.terms_accepted_at) {
            api.redirect.sendUserTo('https://shop.example.com/terms')
          }
        }
        """;

    public const string ProgressiveProfiling = """
        // Progressive profiling: ask for a missing email, and refuse to finish without one.
        exports.onExecutePostLogin = async (event, api) => {
          if (!event.user.email) api.redirect.sendUserTo('https://shop.example.com/complete-profile')
        }
        exports.onContinuePostLogin = async (event, api) => {
          if (!event.user.email) api.access.deny('An email address is required.', { code: 'profile_incomplete' })
        }
        """;
}
