namespace Faable.Actions;

/// <summary>The language an action is written in.</summary>
public enum ActionLanguage
{
    /// <summary>JavaScript, run by the sandboxed interpreter exactly as Faable runs it.</summary>
    JavaScript = 0,

    /// <summary>A C# script with the same <c>event</c> and <c>api</c> shapes. A convenience for tests, not a sandbox.</summary>
    CSharp = 1,
}
