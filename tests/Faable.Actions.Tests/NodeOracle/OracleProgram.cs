namespace Faable.Actions.Tests.NodeOracle;

/// <summary>
/// One action program of the differential suite, read from <c>NodeOracle/Programs/*.js</c>. A program starts at a
/// line <c>// === name</c>; lines <c>// @directive</c> right after it adjust the comparison:
/// <c>@message-differs</c> compares an error's kind only (V8 and Jint word built-in errors differently).
/// </summary>
internal sealed record OracleProgram(string Name, string Code, bool CompareErrorMessage)
{
    public override string ToString() => Name;
}
