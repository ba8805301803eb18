using System.Text.Json.Nodes;

namespace Faable.Actions.Flow;

/// <summary>A review flag set by <c>api.access.review</c>: the login goes through, its audit row is marked <c>review: true</c>.</summary>
/// <param name="ActionName">The action that set the flag.</param>
/// <param name="Code">The review code the action gave.</param>
/// <param name="Details">The details the action gave, if any.</param>
public sealed record ActionReview(string ActionName, string Code, JsonNode? Details)
{
    /// <summary>Formats the flag for a test failure message.</summary>
    /// <returns>For example <c>'Risk' review(new_country)</c>.</returns>
    public override string ToString() =>
        Details is null ? $"'{ActionName}' review({Code})" : $"'{ActionName}' review({Code}, {Details.ToJsonString()})";
}
