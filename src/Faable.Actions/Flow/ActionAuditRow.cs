using System.Text.Json.Nodes;

namespace Faable.Actions.Flow;

/// <summary>
/// One row of the tenant's audit log for one action run (or one login denied by a standing block). Deny codes and
/// details live here, never in what the user sees.
/// </summary>
/// <param name="Timestamp">When the action finished, by the engine's clock.</param>
/// <param name="UserId">The user signing in.</param>
/// <param name="ClientId">The client of the login.</param>
/// <param name="ActionName">The action.</param>
/// <param name="Trigger">The trigger it ran on.</param>
/// <param name="Outcome">How the run ended.</param>
/// <param name="Review"><see langword="true"/> when the action called <c>api.access.review</c>.</param>
/// <param name="Reason">The deny reason, when denied.</param>
/// <param name="Code">The deny code, when denied with one.</param>
/// <param name="Details">The deny details, when denied with some.</param>
public sealed record ActionAuditRow(
    DateTimeOffset Timestamp,
    string UserId,
    string ClientId,
    string ActionName,
    ActionTrigger Trigger,
    ActionStepOutcome Outcome,
    bool Review,
    string? Reason,
    string? Code,
    JsonNode? Details);
