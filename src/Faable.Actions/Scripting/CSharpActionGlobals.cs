using Faable.Actions.Events;

namespace Faable.Actions.Scripting;

/// <summary>
/// What a C# script action (<c>.csx</c>) sees as globals: <see cref="Event"/>, <see cref="Api"/> and
/// <see cref="Console"/>, the same shapes a JavaScript action receives as <c>event</c>, <c>api</c> and <c>console</c>.
/// </summary>
/// <remarks>
/// <para>
/// The script's top-level statements are the post-login handler:
/// <c>if (Event.User.Email is null) Api.Redirect.SendUserTo("https://shop.example.com/complete-profile");</c>.
/// <c>await</c> is allowed at the top level.
/// </para>
/// <para>
/// A script may instead declare methods named like the JavaScript exports, <c>OnExecutePostLogin</c> and
/// <c>OnContinuePostLogin</c>, taking no parameters or <c>(LoginEvent @event, ActionApi api)</c> and returning
/// <c>void</c> or <c>Task</c>. The continue trigger runs <c>OnContinuePostLogin</c>; a script that declares either
/// method then keeps only declarations at its top level.
/// </para>
/// <para>
/// C# scripts are a convenience for teams that want their rules in C#; they are not a sandbox (they run with the
/// test process's rights, and a busy loop cannot be interrupted: the run is abandoned at its timeout). Faable itself
/// runs JavaScript.
/// </para>
/// </remarks>
public sealed class CSharpActionGlobals
{
    internal CSharpActionGlobals(LoginEvent loginEvent, ActionApi api, ActionConsole console, ActionTrigger trigger)
    {
        Event = loginEvent;
        Api = api;
        Console = console;
        Trigger = trigger;
    }

    /// <summary>The login event (<c>event</c> in JavaScript).</summary>
    public LoginEvent Event { get; }

    /// <summary>What the action may decide (<c>api</c> in JavaScript).</summary>
    public ActionApi Api { get; }

    /// <summary>Captured log output (<c>console</c> in JavaScript).</summary>
    public ActionConsole Console { get; }

    /// <summary>The trigger being run.</summary>
    public ActionTrigger Trigger { get; }
}
