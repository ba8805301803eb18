using Faable.Actions.Events;
using Faable.Actions.Flow;
using Faable.Actions.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Flow;

/// <summary>Shared set-up of engine tests: one fake clock, one store, one key.</summary>
internal static class EngineFixture
{
    public const string Key = "a-resume-state-key-of-at-least-32-bytes!!";
    public const string ClientId = "shop";
    public const string SessionId = "session-1";

    public static FlowContext Context { get; } = new(ClientId, SessionId);

    public static FaableActionsOptions Options() => new() { ResumeStateKey = Key };

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 5, 12, 10, 0, 0, TimeSpan.Zero));

    public static FaableActionsEngine Engine(FakeActionRuntime runtime, IEnumerable<FaableAction> actions, TimeProvider? time = null, IActionFlowStore? store = null, FaableActionsOptions? options = null) =>
        new(actions, options ?? Options(), time, store, null, null, [runtime]);

    public static LoginEvent Event(string userId = "user_1", string? email = "ada@example.com", bool isNewUser = false, DateTimeOffset? createdAt = null) => new()
    {
        User = new LoginUser { UserId = userId, Email = email, EmailVerified = email is not null, CreatedAt = createdAt },
        Client = new LoginClient(ClientId, "Shop"),
        Connection = new LoginConnection("github", "github"),
        Stats = new LoginStats { IsNewUser = isNewUser },
    };
}
