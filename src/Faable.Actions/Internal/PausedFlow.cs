using Faable.Actions.Events;
using Faable.Actions.Flow;

namespace Faable.Actions.Internal;

/// <summary>
/// A paused flow as persisted server-side under the resume state: its bindings, where to resume, and the parts
/// of the event the continue chain needs (the user comes fresh from the host).
/// </summary>
internal sealed record PausedFlow(
    string ClientId,
    string UserId,
    string SessionId,
    string ActionSetHash,
    bool IsSignup,
    int ContinueStart,
    int PostLoginNext,
    DateTimeOffset ExpiresAt,
    LoginClient Client,
    LoginConnection Connection,
    LoginRequest Request,
    bool? LanguageChanged,
    IReadOnlyList<ActionReview> Reviews);
