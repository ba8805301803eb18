using Faable.Actions.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Faable.Actions.Internal.CSharp;

/// <summary>A compiled script for one (source, trigger), or why it does not compile.</summary>
internal sealed class CSharpCompiledScript
{
    public CSharpCompiledScript(ScriptRunner<object> runner) => Runner = runner;

    public CSharpCompiledScript(string error, int? line, int? column)
    {
        Error = error;
        Line = line;
        Column = column;
    }

    public ScriptRunner<object>? Runner { get; }

    public string? Error { get; }

    public int? Line { get; }

    public int? Column { get; }

    public Task<object> RunAsync(CSharpActionGlobals globals, CancellationToken cancellationToken) => Runner!(globals, cancellationToken);
}
