namespace Faable.Actions.Flow;

/// <summary>Why a resume <c>state</c> was refused. Whatever the reason, no action ran.</summary>
public enum ResumeStateRejection
{
    /// <summary>The state is missing, or is not two base64url parts of the expected length.</summary>
    Malformed = 0,

    /// <summary>The state is longer than any state the engine issues; it was not parsed.</summary>
    TooLong = 1,

    /// <summary>The signature does not match: the state was forged, altered, or signed with another key.</summary>
    BadSignature = 2,

    /// <summary>No paused flow has this state: it was already used, was never issued, or its record was evicted.</summary>
    UnknownOrUsed = 3,

    /// <summary>The paused flow expired before the browser came back.</summary>
    Expired = 4,

    /// <summary>The state belongs to a flow of another client.</summary>
    WrongClient = 5,

    /// <summary>The state belongs to a flow of another user.</summary>
    WrongUser = 6,

    /// <summary>The state belongs to a flow started in another browser session.</summary>
    WrongSession = 7,

    /// <summary>The actions changed (code, order, enabled, trigger or language) between the redirect and the continue.</summary>
    ActionsChanged = 8,
}
