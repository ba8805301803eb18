namespace Faable.Webhooks.Internal;

/// <summary>A claimed delivery: the record, the attempt number it is on, and the token proving the claim.</summary>
internal sealed record InboxLease(InboxRecord Record, int Attempt, string Token);
