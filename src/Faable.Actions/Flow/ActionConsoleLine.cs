namespace Faable.Actions.Flow;

/// <summary>One line an action wrote to <c>console</c>.</summary>
/// <param name="Level">The console method: <c>log</c>, <c>info</c>, <c>warn</c> or <c>error</c>.</param>
/// <param name="Text">The text, as the script formatted it.</param>
public sealed record ActionConsoleLine(string Level, string Text)
{
    /// <summary>Formats the line as <c>console.level: text</c>.</summary>
    /// <returns>The formatted line.</returns>
    public override string ToString() => $"console.{Level}: {Text}";
}
