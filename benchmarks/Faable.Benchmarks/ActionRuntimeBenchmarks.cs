using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Faable.Actions;
using Faable.Actions.Events;
using Faable.Actions.Internal;
using Faable.Actions.Internal.CSharp;
using Faable.Actions.Internal.Js;
using Jint;

namespace Faable.Benchmarks;

/// <summary>
/// One isolated post-login run: a fresh Jint engine per run with the full sandbox configuration, the prepared script
/// taken from the cache, a fresh event and api, the handler's promise driven to settlement. Compared with the bare
/// interpreter cost (a fresh engine evaluating a cached prepared script, no sandbox, no event) and with a cached C#
/// script delegate.
/// </summary>
[MemoryDiagnoser]
public class ActionRuntimeBenchmarks
{
    private const string Gate = """
        exports.onExecutePostLogin = async (event, api) => {
          if (event.user.email_verified !== true) {
            return api.access.deny('Verify your email address first.')
          }
          if (!event.user.app_metadata?.terms_accepted_at) {
            api.redirect.sendUserTo('https://shop.example.com/terms')
          }
        }
        """;

    private const string Profile = """
        exports.onExecutePostLogin = async (event, api) => {
          if (!event.user.email) api.redirect.sendUserTo('https://shop.example.com/complete-profile')
        }
        """;

    private const string Review = """
        exports.onExecutePostLogin = async (event, api) => {
          if (event.stats.is_new_user && event.connection.strategy === 'github') api.access.review('new_social_user', { ip: event.request.ip })
        }
        """;

    private readonly ActionLimits _limits = new();
    private readonly JavaScriptActionRuntime _js = new();
    private readonly CSharpActionRuntime _csharp = new();
    private FaableAction[] _chain = [];
    private FaableAction _csharpGate = null!;
    private LoginEvent _event = null!;
    private ActionRunEnvironment _environment = null!;
    private Prepared<Acornima.Ast.Script> _bare;

    [GlobalSetup]
    public void Setup()
    {
        _event = new LoginEvent
        {
            User = new LoginUser
            {
                UserId = "user_123",
                Email = "ada@example.com",
                EmailVerified = true,
                AppMetadata = new JsonObject { ["plan"] = "pro" },
            },
            Connection = new LoginConnection("github", "github"),
            Stats = new LoginStats { IsNewUser = true },
        };
        _environment = new ActionRunEnvironment(_limits, TimeProvider.System, null);
        _chain =
        [
            new FaableAction("gate", ActionTrigger.PostLogin, Gate),
            new FaableAction("profile", ActionTrigger.PostLogin, Profile),
            new FaableAction("review", ActionTrigger.PostLogin, Review),
        ];
        foreach (var action in _chain)
        {
            _js.Prepare(action, _environment);
        }

        _csharpGate = new FaableAction("gate-cs", ActionTrigger.PostLogin, """
            if (!Event.User.EmailVerified) { Api.Access.Deny("Verify your email address first."); }
            else if (Event.User.AppMetadata?["terms_accepted_at"] is null) { Api.Redirect.SendUserTo("https://shop.example.com/terms"); }
            """) { Language = ActionLanguage.CSharp };
        _csharp.Prepare(_csharpGate, _environment);
        _bare = Engine.PrepareScript("(function (u) { return u.email_verified ? 'ok' : 'deny' })({ email_verified: true })");

        if (JavaScriptPostLogin() != "https://shop.example.com/terms" || CSharpPostLogin() != "https://shop.example.com/terms")
        {
            throw new InvalidOperationException("The benchmark action did not redirect.");
        }
    }

    [Benchmark(Baseline = true)]
    public JsValueHolder BareJint_FreshEngine_CachedPrepared()
    {
        using var engine = new Engine();
        return new JsValueHolder(engine.Evaluate(in _bare).ToString());
    }

    [Benchmark]
    public string? JavaScriptPostLogin()
    {
        var recorder = new ActionRecorder(_limits);
        _js.RunAsync(_chain[0], ActionTrigger.PostLogin, _event, recorder, _environment, CancellationToken.None).GetAwaiter().GetResult();
        return recorder.RedirectUrl;
    }

    [Benchmark]
    public int JavaScriptChainOfThree()
    {
        var calls = 0;
        foreach (var action in _chain)
        {
            var recorder = new ActionRecorder(_limits);
            _js.RunAsync(action, ActionTrigger.PostLogin, _event, recorder, _environment, CancellationToken.None).GetAwaiter().GetResult();
            calls += recorder.Calls.Count;
        }

        return calls;
    }

    /// <summary>Runs one action of the chain on its own (for the per-action split of the chain's cost).</summary>
    public int RunChainAction(int index)
    {
        var recorder = new ActionRecorder(_limits);
        _js.RunAsync(_chain[index], ActionTrigger.PostLogin, _event, recorder, _environment, CancellationToken.None).GetAwaiter().GetResult();
        return recorder.Calls.Count;
    }

    [Benchmark]
    public string? CSharpPostLogin()
    {
        var recorder = new ActionRecorder(_limits);
        _csharp.RunAsync(_csharpGate, ActionTrigger.PostLogin, _event, recorder, _environment, CancellationToken.None).GetAwaiter().GetResult();
        return recorder.RedirectUrl;
    }

    /// <summary>Keeps the bare result alive without boxing a Jint type into the benchmark's signature.</summary>
    public readonly record struct JsValueHolder(string Value);
}
