using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Faable.Actions.Events;
using Faable.Actions.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Faable.Actions.Internal.CSharp;

/// <summary>
/// Runs C# script actions with Roslyn scripting: compiled once per distinct (source, trigger) and cached, with
/// <see cref="CSharpActionGlobals"/> as globals. Not a sandbox: the script runs with the process's rights, and its
/// timeout abandons the run rather than stopping it (busy code cannot be interrupted). Every compile loads an
/// assembly that stays loaded, which is why compiled scripts are cached by source hash.
/// </summary>
internal sealed partial class CSharpActionRuntime : IActionRuntime
{
    private const string FilePath = "action.csx";

    private static readonly ScriptOptions s_options = ScriptOptions.Default
        .WithReferences(typeof(LoginEvent).Assembly, typeof(System.Text.Json.Nodes.JsonNode).Assembly, typeof(Enumerable).Assembly)
        .WithImports("System", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks", "System.Text.Json.Nodes", "Faable.Actions", "Faable.Actions.Events", "Faable.Actions.Scripting")
        .WithFilePath(FilePath)
        .WithFileEncoding(Encoding.UTF8)
        .WithEmitDebugInformation(true)
        .WithOptimizationLevel(OptimizationLevel.Release);

    /// <summary>
    /// Most distinct (source, trigger) pairs one runtime compiles. Every compile loads an assembly that is never
    /// unloaded, so the bound is on compiles, not on cache entries: past it a new script is refused with a clear error
    /// instead of growing the process without end.
    /// </summary>
    public const int MaxCompiledScripts = 256;

    private readonly ConcurrentDictionary<string, Lazy<CSharpCompiledScript>> _cache = new(StringComparer.Ordinal);

    private readonly int _maxCompiledScripts;

    private int _compiledCount;

    public CSharpActionRuntime(int maxCompiledScripts = MaxCompiledScripts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCompiledScripts);
        _maxCompiledScripts = maxCompiledScripts;
    }

    public ActionLanguage Language => ActionLanguage.CSharp;

    /// <summary>How many distinct (source, trigger) pairs this runtime compiled.</summary>
    public int CompiledCount => Volatile.Read(ref _compiledCount);

    public IReadOnlySet<ActionTrigger> Prepare(FaableAction action, ActionRunEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(action);
        var triggers = Exported(action.Code);
        foreach (var trigger in triggers)
        {
            ThrowIfInvalid(action, GetCompiled(action.Code, trigger));
        }

        return triggers;
    }

    // A script's handlers are its OnExecutePostLogin / OnContinuePostLogin methods; a script of top-level statements
    // only is a post-login handler.
    private static HashSet<ActionTrigger> Exported(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetCompilationUnitRoot();
        var names = root.Members.OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.Text).ToHashSet(StringComparer.Ordinal);
        var triggers = new HashSet<ActionTrigger>();
        if (names.Contains("OnExecutePostLogin") || !names.Contains("OnContinuePostLogin"))
        {
            triggers.Add(ActionTrigger.PostLogin);
        }

        if (names.Contains("OnContinuePostLogin"))
        {
            triggers.Add(ActionTrigger.Continue);
        }

        return triggers;
    }

    public async Task RunAsync(FaableAction action, ActionTrigger trigger, LoginEvent loginEvent, ActionRecorder recorder, ActionRunEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(loginEvent);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(environment);

        var compiled = GetCompiled(action.Code, trigger);
        ThrowIfInvalid(action, compiled);

        var limits = environment.Limits;
        var session = new CSharpRunSession(action.Name, recorder, limits);
        var globals = new CSharpActionGlobals(
            loginEvent,
            new ActionApi(new ActionAccessApi(session), new ActionRedirectApi(session)),
            new ActionConsole(session),
            trigger);

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(limits.Timeout);

        // The script starts on a thread of its own, so that a busy script can hold neither the caller past the budget
        // nor a thread-pool thread (busy scripts on the pool would starve the timer that ends their budget).
        var run = Task.Factory.StartNew(
            () => compiled.RunAsync(globals, budget.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        try
        {
            var finished = await Task.WhenAny(run, Task.Delay(limits.Timeout, cancellationToken)).ConfigureAwait(false);
            if (finished != run)
            {
                // Busy code cannot be stopped: the script keeps its thread, and the engine keeps its execution slot
                // taken until that thread is done with it.
                recorder.StillRunning = run;
                cancellationToken.ThrowIfCancellationRequested();
                throw new ActionTimeoutException(action.Name, limits.Timeout);
            }

            await run.ConfigureAwait(false);
        }
        catch (FaableActionException)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The action run was cancelled by the caller.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw new ActionTimeoutException(action.Name, limits.Timeout, ex);
        }
        catch (Exception ex)
        {
            var line = ScriptLine(ex);
            throw new ActionScriptException(action.Name, $"the script threw {ex.GetType().Name}: {ex.Message}", line, null, ex.StackTrace, ex);
        }
        finally
        {
            session.Close();
            _ = run.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private static void ThrowIfInvalid(FaableAction action, CSharpCompiledScript compiled)
    {
        if (compiled.Error is not null)
        {
            throw new ActionScriptException(action.Name, compiled.Error, compiled.Line, compiled.Column);
        }
    }

    private CSharpCompiledScript GetCompiled(string code, ActionTrigger trigger)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{trigger}\n{code}")));
        return _cache.GetOrAdd(key, k => new Lazy<CSharpCompiledScript>(() =>
        {
            if (Interlocked.Increment(ref _compiledCount) > _maxCompiledScripts)
            {
                Interlocked.Decrement(ref _compiledCount);
                _cache.TryRemove(k, out _);
                return new CSharpCompiledScript(
                    $"this process already compiled {_maxCompiledScripts} distinct C# scripts, the most it keeps loaded (each compile loads an assembly that is never unloaded); restart the process to load changed scripts.",
                    null,
                    null);
            }

            return Compile(code, trigger);
        })).Value;
    }

    private static CSharpCompiledScript Compile(string code, ActionTrigger trigger)
    {
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        var root = tree.GetCompilationUnitRoot();
        var handlers = root.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Identifier.Text is "OnExecutePostLogin" or "OnContinuePostLogin")
            .ToDictionary(m => m.Identifier.Text, StringComparer.Ordinal);
        var statements = root.Members.OfType<GlobalStatementSyntax>().Where(s => s.Statement is not LocalFunctionStatementSyntax).ToList();

        var wanted = trigger == ActionTrigger.Continue ? "OnContinuePostLogin" : "OnExecutePostLogin";
        string? call = null;
        if (handlers.Count > 0 && statements.Count > 0)
        {
            var first = statements[0].GetLocation().GetLineSpan().StartLinePosition;
            return new CSharpCompiledScript(
                "a script that declares OnExecutePostLogin or OnContinuePostLogin keeps only declarations at its top level (the statements would run on every trigger).",
                first.Line + 1,
                first.Character + 1);
        }

        if (handlers.TryGetValue(wanted, out var handler))
        {
            var arguments = handler.ParameterList.Parameters.Count switch
            {
                0 => "",
                2 => "Event, Api",
                _ => null,
            };
            if (arguments is null)
            {
                return new CSharpCompiledScript($"{wanted} takes no parameters or (LoginEvent @event, ActionApi api).", null, null);
            }

            var returnsVoid = handler.ReturnType is PredefinedTypeSyntax { Keyword.Text: "void" };
            call = returnsVoid ? $"{wanted}({arguments});" : $"await {wanted}({arguments});";
        }
        else if (trigger == ActionTrigger.Continue || handlers.Count > 0 || statements.Count == 0)
        {
            var declared = handlers.Count == 0 ? (statements.Count == 0 ? "nothing" : "top-level statements (the post-login handler)") : string.Join(", ", handlers.Keys);
            return new CSharpCompiledScript($"the script has no handler for the {(trigger == ActionTrigger.Continue ? "continue" : "post-login")} trigger: declare {wanted}(); it declares: {declared}.", null, null);
        }

        var script = CSharpScript.Create(code, s_options, typeof(CSharpActionGlobals));
        if (call is not null)
        {
            script = script.ContinueWith(call, s_options.WithFilePath("invoke.csx"));
        }

        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var first = errors[0];
            var position = first.Location.GetLineSpan().StartLinePosition;
            var messages = string.Join("; ", errors.Take(5).Select(e => e.Id + " " + e.GetMessage(CultureInfo.InvariantCulture)));
            return new CSharpCompiledScript("the script does not compile: " + messages, position.Line + 1, position.Character + 1);
        }

        return new CSharpCompiledScript(script.CreateDelegate());
    }

    private static int? ScriptLine(Exception ex)
    {
        var match = LineRegex().Match(ex.StackTrace ?? "");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"action\.csx:line (\d+)")]
    private static partial Regex LineRegex();
}
