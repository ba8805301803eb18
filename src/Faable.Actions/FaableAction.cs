namespace Faable.Actions;

/// <summary>
/// One action as Faable stores it: a name, the trigger it runs on, its source code, its position in the
/// chain and whether it is enabled.
/// </summary>
public sealed record FaableAction
{
    /// <summary>Creates an action.</summary>
    /// <param name="name">The action's name (at most 200 characters, as on Faable).</param>
    /// <param name="trigger">The trigger the action is registered for; its script must export that trigger's handler, and every handler it exports runs.</param>
    /// <param name="code">The source code, used unchanged.</param>
    /// <exception cref="ArgumentException">The name is empty or longer than 200 characters, or the code is empty.</exception>
    public FaableAction(string name, ActionTrigger trigger, string code)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException($"An action name has at most {MaxNameLength} characters; '{name[..20]}…' has {name.Length}.", nameof(name));
        }

        Name = name;
        Trigger = trigger;
        Code = code;
    }

    /// <summary>The longest name Faable accepts.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The action's name; it also identifies the action in traces, audit rows and <c>deny_count</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The trigger the action is registered for: its script must export that trigger's handler (the engine's
    /// constructor checks). Every other handler the script exports runs too, on its own trigger, at the same
    /// <see cref="Order"/>.
    /// </summary>
    public ActionTrigger Trigger { get; }

    /// <summary>The source code.</summary>
    public string Code { get; }

    /// <summary>Position in the chain; lower runs first.</summary>
    /// <value>Defaults to <c>0</c>. Ties keep the order in which actions were added.</value>
    public int Order { get; init; }

    /// <summary>Whether the action runs.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>The language of <see cref="Code"/>.</summary>
    /// <value>Defaults to <see cref="ActionLanguage.JavaScript"/>.</value>
    public ActionLanguage Language { get; init; } = ActionLanguage.JavaScript;
}
