namespace Faable.AspNetCore.Internal;

/// <summary>The steps of <see cref="TokenChecklist"/>, in the order they run.</summary>
internal enum TokenStep
{
    Length,
    Structure,
    Algorithm,
    CriticalHeader,
    KeyId,
    Key,
    Signature,
    Payload,
    Expiration,
    NotBefore,
    IssuedAt,
    Issuer,
    Audience,
    TokenKind,
}

/// <summary>What happened at one step.</summary>
internal enum TokenStepOutcome
{
    Passed,
    Failed,

    /// <summary>The step could not run: what it needs is missing or unreadable.</summary>
    Skipped,
}

/// <summary>One step of a checklist run, as recorded in a <see cref="TokenReport"/>.</summary>
internal readonly record struct TokenStepResult(TokenStep Step, TokenStepOutcome Outcome, AuthError? Error, string? Detail);
