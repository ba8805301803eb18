using Acornima.Ast;
using Jint;

namespace Faable.Actions.Internal.Js;

/// <summary>An action source wrapped in its CommonJS driver and parsed once; shared by every run and thread.</summary>
internal sealed class JsPreparedAction
{
    public JsPreparedAction(Prepared<Script> script, JsSourceFacts facts, IReadOnlyList<string> unknownGlobals)
    {
        Script = script;
        Facts = facts;
        UnknownGlobals = unknownGlobals;
    }

    public JsPreparedAction(string error, int? line, int? column)
    {
        Error = error;
        ErrorLine = line;
        ErrorColumn = column;
        Facts = new JsSourceFacts(false, false, false, false);
    }

    public Prepared<Script> Script { get; }

    public JsSourceFacts Facts { get; }

    /// <summary>Globals the source names that are neither JavaScript built-ins nor provided by the emulator.</summary>
    public IReadOnlyList<string> UnknownGlobals { get; } = [];

    /// <summary>Why the source cannot run (syntax), or <see langword="null"/>.</summary>
    public string? Error { get; }

    public int? ErrorLine { get; }

    public int? ErrorColumn { get; }
}
