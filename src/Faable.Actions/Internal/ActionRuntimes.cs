using Faable.Actions.Internal.CSharp;
using Faable.Actions.Internal.Js;

namespace Faable.Actions.Internal;

/// <summary>
/// The runtimes an engine uses when none are given: one per <see cref="ActionLanguage"/>, shared by every engine of
/// the process so that a prepared script (and a compiled C# assembly, which is never unloaded) is made once.
/// </summary>
internal static class ActionRuntimes
{
    private static readonly Lazy<IReadOnlyList<IActionRuntime>> Shared =
        new(() => [new JavaScriptActionRuntime(), new CSharpActionRuntime()]);

    public static IReadOnlyList<IActionRuntime> CreateDefault() => Shared.Value;
}
