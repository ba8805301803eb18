using Faable.Actions.Events;

namespace Faable.Actions.Internal;

/// <summary>
/// Runs one action's handler for one trigger. Implementations: the JavaScript runtime (Jint) and the
/// C# script runtime (Roslyn). Both pass the same contract test suite.
/// </summary>
internal interface IActionRuntime
{
    /// <summary>The language this runtime runs.</summary>
    ActionLanguage Language { get; }

    /// <summary>
    /// Compiles (once per distinct source, cached) and checks the action without running it: syntax, the exported
    /// handler for <paramref name="trigger"/>.
    /// </summary>
    /// <exception cref="ActionScriptException">The source does not compile or exports no handler for the trigger.</exception>
    void Prepare(FaableAction action, ActionTrigger trigger);

    /// <summary>
    /// What is worth telling about an action that prepared fine but may not run as on Faable, e.g. globals the
    /// emulator does not provide (Node throws a <c>ReferenceError</c> only when such a name is reached).
    /// </summary>
    IReadOnlyList<string> Warnings(FaableAction action) => [];

    /// <summary>
    /// Runs the handler the action exports for <paramref name="trigger"/> (for <see cref="ActionTrigger.Continue"/>:
    /// <c>onContinuePostLogin</c>) with <paramref name="loginEvent"/>, recording every api call into
    /// <paramref name="recorder"/>. The whole run, awaits included, is bounded by <see cref="ActionLimits.Timeout"/>.
    /// <c>Date.now()</c> inside the script reads <see cref="ActionRunEnvironment.Time"/>.
    /// </summary>
    /// <exception cref="ActionTimeoutException">The action ran past its budget.</exception>
    /// <exception cref="ActionLimitExceededException">A sandbox limit (statements, memory, recursion, …) was hit.</exception>
    /// <exception cref="ActionScriptException">The script threw, or used something the emulator does not provide.</exception>
    Task RunAsync(FaableAction action, ActionTrigger trigger, LoginEvent loginEvent, ActionRecorder recorder, ActionRunEnvironment environment, CancellationToken cancellationToken);
}

/// <summary>What a run needs from its host besides the event.</summary>
/// <param name="Limits">The sandbox limits.</param>
/// <param name="Time">The clock for <c>Date.now()</c> and timers (virtual in tests).</param>
/// <param name="Fetch">Answers the script's <c>fetch</c>; <see langword="null"/> makes every <c>fetch</c> reject with a clear error.</param>
internal sealed record ActionRunEnvironment(ActionLimits Limits, TimeProvider Time, HttpMessageHandler? Fetch);
