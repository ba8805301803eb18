using System.Text.Json.Nodes;
using Faable.Actions.Events;
using Faable.Actions.Internal.Js;
using Faable.Actions.Testing;
using Faable.Actions.Tests.Runtime;

namespace Faable.Actions.Tests.Events;

public sealed class LoginEventJsonTests
{
    // An event as Faable logs it: the contract's snake_case shape.
    private const string Logged = """
        {
          "user": {
            "user_id": "user_42", "email_verified": true, "name": "Ada", "created_at": "2025-01-31T09:30:00.000Z",
            "app_metadata": { "plan": "pro", "roles": ["admin"] }, "user_metadata": { "theme": "dark" }
          },
          "client": { "client_id": "client_shop", "name": "Shop" },
          "connection": { "name": "github", "strategy": "github" },
          "request": { "ip": "203.0.113.9", "userAgent": "Mozilla/5.0", "language": "en", "device": "mobile", "ip_datacenter": true, "ip_active_blocks": 1, "ip_network_active_blocks": 3 },
          "stats": { "is_new_user": true, "account_age_ms": 500, "language_changed": false, "deny_count": 2 }
        }
        """;

    [Fact]
    public void FromJson_LoggedEvent_EqualsTheEventBuiltInCode()
    {
        var built = LoginEventBuilder.For("user_42")
            .WithEmailVerified(true)
            .WithName("Ada")
            .CreatedAt(new DateTimeOffset(2025, 1, 31, 9, 30, 0, TimeSpan.Zero))
            .WithAppMetadata(new JsonObject { ["plan"] = "pro", ["roles"] = new JsonArray("admin") })
            .WithUserMetadata(new JsonObject { ["theme"] = "dark" })
            .ForClient("client_shop", "Shop")
            .ViaConnection("github")
            .FromIp("203.0.113.9")
            .WithRequest(r => r with { UserAgent = "Mozilla/5.0" })
            .WithLanguage("en")
            .WithDevice("mobile")
            .WithIpDatacenter(true)
            .WithIpActiveBlocks(1)
            .WithIpNetworkActiveBlocks(3)
            .AsSignup(true)
            .Build() with { Stats = new LoginStats { IsNewUser = true, AccountAgeMs = 500, LanguageChanged = false, DenyCount = 2 } };

        var read = LoginEvent.FromJson(Logged);

        Assert.Null(read.User.Email);
        Assert.True(read.User.EmailVerified);
        Assert.Equal(built.ToJson(indented: true), read.ToJson(indented: true));
        Assert.Equal(built with { User = built.User with { AppMetadata = null, UserMetadata = null } }, read with { User = read.User with { AppMetadata = null, UserMetadata = null } });
    }

    [Fact]
    public void ToJson_ThenFromJson_RoundTrips()
    {
        var read = LoginEvent.FromJson(Logged);

        Assert.Equal(read.ToJson(), LoginEvent.FromJson(read.ToJson()).ToJson());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Logged), JsonNode.Parse(read.ToJson())));
    }

    [Fact]
    public async Task FromJson_TheScriptSeesTheSameObject()
    {
        var read = LoginEvent.FromJson(Logged);

        var recorder = await RuntimeHarness.RunAsync(new JavaScriptActionRuntime(), "// reads ip_datacenter, ip_active_blocks, ip_network_active_blocks\nexports.onExecutePostLogin = async (event) => { console.log(JSON.stringify(event)) }", loginEvent: read);

        Assert.Equal(read.ToJson(), Assert.Single(recorder.Console).Text);
    }

    [Fact]
    public void FromJson_OnlyTheUserId_TakesTheDefaults()
    {
        var read = LoginEvent.FromJson("""{ "user": { "user_id": "user_1" } }""");

        Assert.Equal(LoginEventBuilder.For("user_1").Build().ToJson(), read.ToJson());
    }

    [Theory]
    [InlineData("""{ "user": { "user_id": "u", "email_verified": "yes" } }""", "event.user.email_verified must be true or false, not a string.")]
    [InlineData("""{ "user": { "user_id": "u", "phone": "1" } }""", "event.user.phone is not a field of the Faable login event")]
    [InlineData("""{ "user": { } }""", "event.user.user_id is required")]
    [InlineData("""{ "client": { "client_id": "c" } }""", "event.user is required")]
    [InlineData("""{ "user": { "user_id": "u", "created_at": "yesterday" } }""", "event.user.created_at must be an ISO 8601 date-time")]
    [InlineData("""{ "user": { "user_id": "u" }, "stats": { "deny_count": -1 } }""", "event.stats.deny_count must be a whole number")]
    [InlineData("""{ "user": { "user_id": "u" }, "request": { "user_agent": "x" } }""", "event.request.user_agent is not a field")]
    [InlineData("""[1]""", "event must be an object, not an array.")]
    [InlineData("""{ "user": """, "not valid JSON")]
    public void FromJson_BadInput_ErrorNamesThePath(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LoginEvent.FromJson(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
