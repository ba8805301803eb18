using Faable.Actions.Flow;
using Faable.Actions.Loading;
using Faable.Actions.Testing;
using Faable.Actions.Tests.EndToEnd;

namespace Faable.Actions.Tests.Loading;

public sealed class ActionFolderTests : IDisposable
{
    private const string PostLogin = "exports.onExecutePostLogin = async (event, api) => {}";
    private const string ContinueOnly = "exports.onContinuePostLogin = async (event, api) => {}";
    private readonly string _folder = Directory.CreateTempSubdirectory("faable-actions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_folder, name), content);

    [Fact]
    public void Load_FileNameConvention_ReadsOrderNameTriggerAndDisabled()
    {
        Write("10-require-email.js", PostLogin);
        Write("20-check.continue.js", ContinueOnly);
        Write("30-geo.post-login.disabled.js", PostLogin);
        Write("plain.js", PostLogin);
        Write("notes.txt", "not an action");

        var actions = ActionFolder.Load(_folder);

        Assert.Equal(
            [
                ("plain", ActionTrigger.PostLogin, 0, true),
                ("require-email", ActionTrigger.PostLogin, 10, true),
                ("check", ActionTrigger.Continue, 20, true),
                ("geo", ActionTrigger.PostLogin, 30, false),
            ],
            actions.Select(a => (a.Name, a.Trigger, a.Order, a.Enabled)).OrderBy(a => a.Order));
        Assert.All(actions, a => Assert.Equal(ActionLanguage.JavaScript, a.Language));
    }

    [Fact]
    public void Load_JavaScriptFileExportingBothHandlers_RegistersForBothTriggers()
    {
        Write("05-profile.js", SpecActions.ProgressiveProfiling);

        var actions = ActionFolder.Load(_folder);

        Assert.Equal([ActionTrigger.PostLogin, ActionTrigger.Continue], actions.Select(a => a.Trigger));
        Assert.All(actions, a => Assert.Equal(("profile", 5), (a.Name, a.Order)));
    }

    [Fact]
    public void Load_FileExportingOnlyContinue_RegistersForContinueOnly()
    {
        Write("check.js", ContinueOnly);

        Assert.Equal(ActionTrigger.Continue, Assert.Single(ActionFolder.Load(_folder)).Trigger);
    }

    [Fact]
    public void Load_CSharpScript_IsCSharpPostLogin()
    {
        Write("rule.csx", "Api.Access.Deny(\"no\");");

        var action = Assert.Single(ActionFolder.Load(_folder));

        Assert.Equal((ActionLanguage.CSharp, ActionTrigger.PostLogin), (action.Language, action.Trigger));
    }

    [Fact]
    public void Load_TriggerInFileName_OverridesWhatTheSourceExports()
    {
        Write("profile.post-login.js", SpecActions.ProgressiveProfiling);

        Assert.Equal(ActionTrigger.PostLogin, Assert.Single(ActionFolder.Load(_folder)).Trigger);
    }

    [Theory]
    [InlineData("gate.postlogin.js", "'.postlogin'")]
    [InlineData("10-.js", "no action name")]
    [InlineData("99999999999-big.js", "too large")]
    public void Load_BadFileName_ThrowsNamingTheFile(string fileName, string expected)
    {
        Write(fileName, PostLogin);

        var error = Assert.Throws<ActionFolderException>(() => ActionFolder.Load(_folder));

        Assert.EndsWith(fileName, error.Path, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyFile_Throws()
    {
        Write("empty.js", "  ");

        Assert.Contains("empty", Assert.Throws<ActionFolderException>(() => ActionFolder.Load(_folder)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_Throws()
    {
        var error = Assert.Throws<ActionFolderException>(() => ActionFolder.Load(Path.Combine(_folder, "nope")));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Manifest_OverridesNameOrderEnabledAndTriggers()
    {
        Write("gate.js", SpecActions.Gate);
        Write("profile.js", SpecActions.ProgressiveProfiling);
        Write("old.js", PostLogin);
        Write(ActionFolder.ManifestFileName, """
            {
              // comments and trailing commas are allowed
              "actions": [
                { "file": "gate.js", "name": "Email gate", "order": 10 },
                { "file": "profile.js", "order": 20, "triggers": ["continue"] },
                { "file": "old.js", "enabled": false },
              ]
            }
            """);

        var actions = ActionFolder.Load(_folder);

        Assert.Equal(
            [("Email gate", ActionTrigger.PostLogin, 10, true), ("profile", ActionTrigger.Continue, 20, true), ("old", ActionTrigger.PostLogin, 0, false)],
            actions.Select(a => (a.Name, a.Trigger, a.Order, a.Enabled)));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON (line 1")]
    [InlineData("[]", "expected an object with an \"actions\" array")]
    [InlineData("""{"actions":[{"file":"a.js","orden":1}]}""", "actions[0] has an unknown property \"orden\"")]
    [InlineData("""{"actions":[{"name":"x"}]}""", "actions[0].file is required")]
    [InlineData("""{"actions":[{"file":"../a.js"}]}""", "without a path")]
    [InlineData("""{"actions":[{"file":"a.js","order":"1"}]}""", "actions[0].order must be a whole number")]
    [InlineData("""{"actions":[{"file":"a.js","enabled":"yes"}]}""", "actions[0].enabled must be true or false")]
    [InlineData("""{"actions":[{"file":"a.js","triggers":["postlogin"]}]}""", "use \"post-login\" or \"continue\"")]
    [InlineData("""{"actions":[{"file":"a.js","triggers":[]}]}""", "non-empty array")]
    [InlineData("""{"actions":[{"file":"a.js"},{"file":"a.js"}]}""", "listed twice")]
    [InlineData("""{"actions":[{"file":"a.js"},{"file":"ghost.js"}]}""", "\"ghost.js\" is listed but there is no such")]
    [InlineData("""{"actions":[]}""", "\"a.js\" is in the folder but not in the manifest")]
    public void Load_BadManifest_ThrowsSpecificError(string manifest, string expected)
    {
        Write("a.js", PostLogin);
        Write(ActionFolder.ManifestFileName, manifest);

        var error = Assert.Throws<ActionFolderException>(() => ActionFolder.Load(_folder));

        Assert.EndsWith(ActionFolder.ManifestFileName, error.Path, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_SpecFolder_RunsTheProgressiveProfilingFlowEndToEnd()
    {
        Write("10-profile.js", SpecActions.ProgressiveProfiling);
        var engine = new FaableActionsEngine(ActionFolder.Load(_folder), new FaableActionsOptions { ResumeStateKey = "folder-tests-resume-state-key-32-bytes!" });
        var login = LoginEventBuilder.For("user_gh").ViaConnection("github").WithoutEmail().Build();
        var context = FlowContext.For(login, "s");

        var paused = await engine.RunPostLoginAsync(login, context, TestContext.Current.CancellationToken);
        var resumed = await engine.ContinueAsync(paused.Redirect!.State, login.User with { Email = "ada@example.com" }, context, TestContext.Current.CancellationToken);

        Assert.True(paused.IsRedirected, paused.ToString());
        Assert.True(resumed.IsAllowed, resumed.ToString());
    }

    [Fact]
    public void LoadInMemory_FollowsTheFolderConvention()
    {
        var actions = ActionFolder.Load(new Dictionary<string, string>
        {
            ["10-gate.js"] = "exports.onExecutePostLogin = async (event, api) => {}",
            ["20-profile.continue.js"] = "exports.onContinuePostLogin = async (event, api) => {}",
            ["notes.txt"] = "ignored",
        });

        Assert.Equal(["gate:PostLogin:10", "profile:Continue:20"], actions.Select(a => $"{a.Name}:{a.Trigger}:{a.Order}"));
    }

    [Fact]
    public void LoadInMemory_WithAManifest_UsesIt()
    {
        var actions = ActionFolder.Load(new Dictionary<string, string>
        {
            ["gate.js"] = "exports.onExecutePostLogin = async (event, api) => {}",
            ["actions.json"] = """{"actions":[{"file":"gate.js","name":"Gate","order":5}]}""",
        });

        var action = Assert.Single(actions);
        Assert.Equal(("Gate", 5), (action.Name, action.Order));
    }

    [Theory]
    [InlineData("sub/gate.js")]
    [InlineData("..")]
    public void LoadInMemory_NameWithAPath_Throws(string name)
    {
        var error = Assert.Throws<ActionFolderException>(() => ActionFolder.Load(new Dictionary<string, string> { [name] = "exports.onExecutePostLogin = async () => {}" }));

        Assert.Contains("plain file name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadInMemory_ManifestListingAMissingFile_Throws()
    {
        Assert.Throws<ActionFolderException>(() => ActionFolder.Load(new Dictionary<string, string> { ["actions.json"] = """{"actions":[{"file":"gone.js"}]}""" }));
    }
}
