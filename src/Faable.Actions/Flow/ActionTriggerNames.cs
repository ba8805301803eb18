namespace Faable.Actions.Flow;

/// <summary>The names Faable gives triggers (<c>post-login</c>, <c>continue</c>).</summary>
public static class ActionTriggerNames
{
    /// <summary>The post-login trigger's name.</summary>
    public const string PostLogin = "post-login";

    /// <summary>The continue trigger's name.</summary>
    public const string Continue = "continue";

    /// <summary>Returns Faable's name of a trigger.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns><c>post-login</c> or <c>continue</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined trigger.</exception>
    public static string ToName(ActionTrigger trigger) => trigger switch
    {
        ActionTrigger.PostLogin => PostLogin,
        ActionTrigger.Continue => Continue,
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown trigger."),
    };

    /// <summary>Parses Faable's name of a trigger (exact, lower case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="trigger">The trigger, when the name is known.</param>
    /// <returns>Whether the name is <c>post-login</c> or <c>continue</c>.</returns>
    public static bool TryParse(string? name, out ActionTrigger trigger)
    {
        switch (name)
        {
            case PostLogin:
                trigger = ActionTrigger.PostLogin;
                return true;
            case Continue:
                trigger = ActionTrigger.Continue;
                return true;
            default:
                trigger = default;
                return false;
        }
    }
}
