using Faable.Actions.Internal;
using Faable.Actions.Internal.CSharp;

namespace Faable.Actions.Tests.Runtime;

public sealed class CSharpRuntimeContractTests : ActionRuntimeContractTests
{
    private static readonly CSharpActionRuntime s_runtime = new();

    private protected override IActionRuntime Runtime => s_runtime;

    protected override string DenyWithOptions => """
        Api.Access.Deny("No.", blockFor: TimeSpan.FromHours(48), code: "c1", details: new { a = 1 });
        """;

    protected override string Review => """
        Api.Access.Review("suspicious", new { score = 3 });
        """;

    protected override string Redirect => """
        Api.Redirect.SendUserTo("https://shop.example.com/terms");
        """;

    protected override string Console => """
        Console.Log("hello");
        Console.Error("bad");
        """;

    protected override string EventFields => """
        var u = Event.User; var r = Event.Request; var s = Event.Stats;
        Api.Access.Deny(string.Join("|", u.UserId, u.Email, u.EmailVerified ? "true" : "false", u.AppMetadata!["plan"], u.UserMetadata!["theme"],
            Event.Client.ClientId, Event.Connection.Name + "/" + Event.Connection.Strategy,
            r.Ip, r.UserAgent, r.Language, r.Device, s.IsNewUser ? "true" : "false", s.AccountAgeMs, s.DenyCount));
        """;

    protected override string Async => """
        await Task.Delay(100);
        await Task.Yield();
        Api.Access.Deny("after awaits");
        """;

    protected override string DenyThenRedirect => """
        Api.Access.Deny("denied");
        Api.Redirect.SendUserTo("https://shop.example.com/x");
        """;

    protected override string InvalidRedirect => """
        Api.Redirect.SendUserTo("javascript:alert(1)");
        """;

    protected override string DenyWithOverlongReason => """
        Api.Access.Deny(new string('r', 1025));
        """;

    protected override string NeverFinishes => """
        await new TaskCompletionSource().Task;
        """;

    protected override string BothTriggers => """
        void OnExecutePostLogin(LoginEvent @event, ActionApi api) => api.Access.Deny("post");
        async Task OnContinuePostLogin(LoginEvent @event, ActionApi api) { await Task.Yield(); api.Access.Deny("continue"); }
        """;

    protected override string PostLoginOnly => """
        void OnExecutePostLogin() { }
        """;

    protected override string Throws => """
        var x = 1;
        throw new InvalidOperationException("boom");
        """;
}
