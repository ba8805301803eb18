using System.Collections.Concurrent;
using Faable.Actions.Events;
using Faable.Actions.Internal;

namespace Faable.Actions.Tests.Flow;

/// <summary>
/// A runtime whose "scripts" are C# delegates keyed by the action's code: enough to pin the engine's chain
/// semantics without an interpreter. Spec actions and end-to-end flows use the real JavaScript runtime.
/// </summary>
internal sealed class FakeActionRuntime : IActionRuntime
{
    private readonly ConcurrentDictionary<string, Func<LoginEvent, ActionRecorder, Task>> _handlers = new(StringComparer.Ordinal);

    public ActionLanguage Language => ActionLanguage.JavaScript;

    /// <summary>Every run, in order: action name, trigger and the event it received.</summary>
    public ConcurrentQueue<(string Action, ActionTrigger Trigger, LoginEvent Event)> Runs { get; } = new();

    public FaableAction Add(string name, Action<LoginEvent, ActionRecorder> handler, ActionTrigger trigger = ActionTrigger.PostLogin, int order = 0, bool enabled = true) =>
        AddAsync(name, (e, r) =>
        {
            handler(e, r);
            return Task.CompletedTask;
        }, trigger, order, enabled);

    public FaableAction AddAsync(string name, Func<LoginEvent, ActionRecorder, Task> handler, ActionTrigger trigger = ActionTrigger.PostLogin, int order = 0, bool enabled = true)
    {
        var code = $"// fake {name} {trigger} {Guid.NewGuid():N}";
        _handlers[code] = handler;
        return new FaableAction(name, trigger, code) { Order = order, Enabled = enabled };
    }

    // A fake script exports exactly the handler of the trigger it was added for.
    public IReadOnlySet<ActionTrigger> Prepare(FaableAction action, ActionRunEnvironment environment)
    {
        if (!_handlers.ContainsKey(action.Code))
        {
            throw new ActionScriptException(action.Name, "no handler registered");
        }

        return new HashSet<ActionTrigger> { action.Trigger };
    }

    public async Task RunAsync(FaableAction action, ActionTrigger trigger, LoginEvent loginEvent, ActionRecorder recorder, ActionRunEnvironment environment, CancellationToken cancellationToken)
    {
        Runs.Enqueue((action.Name, trigger, loginEvent));
        await _handlers[action.Code](loginEvent, recorder);
    }

    public IReadOnlyList<string> RunNames => Runs.Select(r => r.Action).ToArray();
}
