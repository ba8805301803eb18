namespace Faable.Actions.Events;

/// <summary><c>event.stats</c>. The flow engine computes these per action; values set here are the inputs it starts from.</summary>
public sealed record LoginStats
{
    /// <summary><c>event.stats.is_new_user</c>: true only on the login that created the account; always false on continue.</summary>
    public bool IsNewUser { get; init; }

    /// <summary><c>event.stats.account_age_ms</c>: milliseconds since <see cref="LoginUser.CreatedAt"/>.</summary>
    public long? AccountAgeMs { get; init; }

    /// <summary><c>event.stats.language_changed</c>.</summary>
    public bool? LanguageChanged { get; init; }

    /// <summary><c>event.stats.deny_count</c>: times the running action denied this user.</summary>
    public int? DenyCount { get; init; }
}
