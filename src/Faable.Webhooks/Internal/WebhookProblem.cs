namespace Faable.Webhooks.Internal;

/// <summary>One client-facing answer of the webhook endpoint: HTTP status, <c>error</c> class, stable reason and title.</summary>
internal sealed record WebhookProblem(int Status, string Error, string Reason, string Title);
