using System.Text.Json.Nodes;
using Faable.Actions.Events;
using Faable.Actions.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Runtime;

/// <summary>Runs one action through one runtime and hands back what it recorded.</summary>
internal static class RuntimeHarness
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static LoginEvent Event(string? email = "ada@example.com", bool verified = true) => new()
    {
        User = new LoginUser
        {
            UserId = "user_123",
            Email = email,
            EmailVerified = verified,
            AppMetadata = new JsonObject { ["plan"] = "pro", ["terms_accepted_at"] = "2026-01-01" },
            UserMetadata = new JsonObject { ["theme"] = "dark" },
        },
        Client = new LoginClient("client_shop", "Shop"),
        Connection = new LoginConnection("github", "github"),
        Request = new LoginRequest { Ip = "203.0.113.9", UserAgent = "Mozilla/5.0", Language = "en-GB,en;q=0.8", Device = "desktop", IpDatacenter = true, IpActiveBlocks = 2, IpNetworkActiveBlocks = 5 },
        Stats = new LoginStats { IsNewUser = true, AccountAgeMs = 1234, LanguageChanged = false, DenyCount = 3 },
    };

    /// <summary>An environment for preparing actions: default limits, the fixed clock, no fetch.</summary>
    public static ActionRunEnvironment Environment(ActionLimits? limits = null) => new(limits ?? new ActionLimits(), new FakeTimeProvider(Now), null);

    public static async Task<ActionRecorder> RunAsync(
        IActionRuntime runtime,
        string code,
        ActionTrigger trigger = ActionTrigger.PostLogin,
        LoginEvent? loginEvent = null,
        ActionLimits? limits = null,
        TimeProvider? time = null,
        HttpMessageHandler? fetch = null)
    {
        limits ??= new ActionLimits();
        var action = new FaableAction("test-action", trigger, code) { Language = runtime.Language };
        var recorder = new ActionRecorder(limits);
        var environment = new ActionRunEnvironment(limits, time ?? new FakeTimeProvider(Now), fetch);
        await runtime.RunAsync(action, trigger, loginEvent ?? Event(), recorder, environment, TestContext.Current.CancellationToken);
        return recorder;
    }
}
