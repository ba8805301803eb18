using Faable.Actions.Internal;
using Faable.Actions.Internal.Js;

namespace Faable.Actions.Tests.Runtime;

public sealed class JavaScriptRuntimeContractTests : ActionRuntimeContractTests
{
    private protected override IActionRuntime Runtime { get; } = new JavaScriptActionRuntime();

    protected override string DenyWithOptions => """
        exports.onExecutePostLogin = async (event, api) => {
          api.access.deny('No.', { code: 'c1', blockFor: '48h', details: { a: 1 } })
        }
        """;

    protected override string Review => """
        exports.onExecutePostLogin = async (event, api) => { api.access.review('suspicious', { score: 3 }) }
        """;

    protected override string Redirect => """
        exports.onExecutePostLogin = async (event, api) => { api.redirect.sendUserTo('https://shop.example.com/terms') }
        """;

    protected override string Console => """
        exports.onExecutePostLogin = async (event, api) => { console.log('hello'); console.error('bad') }
        """;

    protected override string EventFields => """
        exports.onExecutePostLogin = async (event, api) => {
          const u = event.user, r = event.request, s = event.stats
          api.access.deny([u.user_id, u.email, u.email_verified, u.app_metadata.plan, u.user_metadata.theme,
            event.client.client_id, event.connection.name + '/' + event.connection.strategy,
            r.ip, r.userAgent, r.language, r.device, s.is_new_user, s.account_age_ms, s.deny_count].join('|'))
        }
        """;

    protected override string Async => """
        exports.onExecutePostLogin = async (event, api) => {
          await new Promise(resolve => setTimeout(resolve, 100))
          await Promise.resolve(1)
          api.access.deny('after awaits')
        }
        """;

    protected override string DenyThenRedirect => """
        exports.onExecutePostLogin = async (event, api) => {
          api.access.deny('denied')
          api.redirect.sendUserTo('https://shop.example.com/x')
        }
        """;

    protected override string InvalidRedirect => """
        exports.onExecutePostLogin = async (event, api) => { api.redirect.sendUserTo('javascript:alert(1)') }
        """;

    protected override string DenyWithOverlongReason => """
        exports.onExecutePostLogin = async (event, api) => { api.access.deny('r'.repeat(1025)) }
        """;

    protected override string NeverFinishes => """
        exports.onExecutePostLogin = async (event, api) => { await new Promise(() => {}) }
        """;

    protected override string BothTriggers => """
        exports.onExecutePostLogin = async (event, api) => { api.access.deny('post') }
        exports.onContinuePostLogin = async (event, api) => { api.access.deny('continue') }
        """;

    protected override string PostLoginOnly => """
        exports.onExecutePostLogin = async (event, api) => {}
        """;

    protected override string Throws => """
        exports.onExecutePostLogin = async (event, api) => {
          throw new Error('boom')
        }
        """;
}
