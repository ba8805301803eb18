using Faable.Actions.Testing;

namespace Faable.Actions.Tests.Testing;

public sealed class LoginEventBuilderTests
{
    [Fact]
    public void Build_FluentCalls_SetEveryField()
    {
        var createdAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var login = LoginEventBuilder.For("user_1")
            .WithEmail("ada@example.com", verified: false)
            .WithName("Ada")
            .WithAppMetadata("plan", "pro")
            .WithUserMetadata("theme", "dark")
            .CreatedAt(createdAt)
            .ViaConnection("github")
            .ForClient("shop", "Shop")
            .FromIp("203.0.113.9")
            .WithLanguage("en-GB")
            .WithRequest(r => r with { Device = "mobile" })
            .AsSignup()
            .Build();

        Assert.Equal(("user_1", "ada@example.com", false, "Ada", createdAt), (login.User.UserId, login.User.Email, login.User.EmailVerified, login.User.Name, login.User.CreatedAt));
        Assert.Equal("pro", (string)login.User.AppMetadata!["plan"]!);
        Assert.Equal("dark", (string)login.User.UserMetadata!["theme"]!);
        Assert.Equal(("github", "github"), (login.Connection.Name, login.Connection.Strategy));
        Assert.Equal(("shop", "Shop"), (login.Client.ClientId, login.Client.Name));
        Assert.Equal(("203.0.113.9", "en-GB", "mobile"), (login.Request.Ip, login.Request.Language, login.Request.Device));
        Assert.True(login.Stats.IsNewUser);
    }

    [Fact]
    public void Builder_SharedBase_IsNotChangedBySpecializations()
    {
        var github = LoginEventBuilder.For("user_1").ViaConnection("github").WithAppMetadata("a", 1);

        var withEmail = github.WithEmail("ada@example.com").WithAppMetadata("b", 2).Build();
        var without = github.WithoutEmail().Build();

        Assert.Equal("ada@example.com", withEmail.User.Email);
        Assert.Null(without.User.Email);
        Assert.False(without.User.AppMetadata!.ContainsKey("b"));
        Assert.True(withEmail.User.AppMetadata!.ContainsKey("a"));
    }

    [Fact]
    public void For_Defaults_AreTheEventDefaults()
    {
        var login = LoginEventBuilder.For("user_1").Build();

        Assert.Equal("database", login.Connection.Name);
        Assert.False(login.Stats.IsNewUser);
        Assert.Null(login.User.Email);
        Assert.Same(login.User, LoginEventBuilder.For(login.User).BuildUser());
    }

    [Fact]
    public void ViaConnection_WithStrategy_KeepsBoth()
    {
        var login = LoginEventBuilder.For("user_1").ViaConnection("corp-google", "google").Build();

        Assert.Equal(("corp-google", "google"), (login.Connection.Name, login.Connection.Strategy));
    }

    [Fact]
    public void For_EmptyUserId_Throws() =>
        Assert.Throws<ArgumentException>(() => LoginEventBuilder.For(" "));

    [Fact]
    public void WithEmailVerified_WithoutEmail_KeepsTheFlagAlone()
    {
        var user = LoginEventBuilder.For("user_1").WithoutEmail().WithEmailVerified(true).BuildUser();

        Assert.Null(user.Email);
        Assert.True(user.EmailVerified);
    }

    [Fact]
    public void WithAppMetadataObject_ReplacesTheWholeObjectWithACopy()
    {
        var metadata = new System.Text.Json.Nodes.JsonObject { ["plan"] = "pro" };

        var user = LoginEventBuilder.For("user_1").WithAppMetadata("old", 1).WithAppMetadata(metadata).WithUserMetadata(new System.Text.Json.Nodes.JsonObject { ["theme"] = "dark" }).BuildUser();
        metadata["plan"] = "changed";

        Assert.Equal("""{"plan":"pro"}""", user.AppMetadata!.ToJsonString());
        Assert.Equal("""{"theme":"dark"}""", user.UserMetadata!.ToJsonString());
    }

    [Fact]
    public void AsSignup_False_UndoesASharedBasesSignup()
    {
        var signup = LoginEventBuilder.For("user_1").AsSignup();

        Assert.True(signup.Build().Stats.IsNewUser);
        Assert.False(signup.AsSignup(false).Build().Stats.IsNewUser);
    }

    [Fact]
    public void IpFlags_ByName_SetTheRequestFields()
    {
        var request = LoginEventBuilder.For("user_1").WithIpDatacenter(true).WithIpActiveBlocks(2).WithIpNetworkActiveBlocks(7).WithDevice("bot").Build().Request;

        Assert.Equal((true, 2, 7, "bot"), (request.IpDatacenter, request.IpActiveBlocks, request.IpNetworkActiveBlocks, request.Device));
        Assert.Throws<ArgumentOutOfRangeException>(() => LoginEventBuilder.For("user_1").WithIpActiveBlocks(-1));
    }
}
