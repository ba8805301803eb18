using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Actions.Internal.Api;
using Faable.Actions.Internal.CSharp;

namespace Faable.Actions.Scripting;

/// <summary><c>api.access</c> of a C# script action.</summary>
public sealed class ActionAccessApi
{
    private readonly CSharpRunSession _session;

    internal ActionAccessApi(CSharpRunSession session)
    {
        _session = session;
    }

    /// <summary>Rejects the login with <paramref name="reason"/> (shown to the user). Does not throw; a later redirect of the same action is ignored.</summary>
    /// <param name="reason">The message for the user.</param>
    /// <param name="blockFor">Persists the verdict for this long (at most 365 days).</param>
    /// <param name="code">A code for the audit log only.</param>
    /// <param name="details">Details for the audit log only; serialized as JSON.</param>
    /// <exception cref="ActionScriptException">The reason is empty or longer than 1,024 characters, or <paramref name="blockFor"/> is out of range.</exception>
    public void Deny(string reason, TimeSpan? blockFor = null, string? code = null, object? details = null)
    {
        if (Internal.Api.DenyReason.Check(reason) is { } refused)
        {
            throw _session.Fault("Api.Access.Deny(reason, …): " + refused);
        }

        if (blockFor is { } block && BlockForParser.TryFromMilliseconds(block.TotalMilliseconds, out _) is { } error)
        {
            throw _session.Fault("Api.Access.Deny: " + error);
        }

        var json = ToJson(details, "Api.Access.Deny: details");
        _session.Record(r => r.RecordDeny(reason, code, json, blockFor));
    }

    /// <summary>Lets the login through but flags its audit row for review.</summary>
    /// <param name="code">Why the login needs a review.</param>
    /// <param name="details">Details for the audit log only; serialized as JSON.</param>
    /// <exception cref="ActionScriptException">The code is empty.</exception>
    public void Review(string code, object? details = null)
    {
        if (string.IsNullOrEmpty(code))
        {
            throw _session.Fault("Api.Access.Review(code, …) needs a non-empty code.");
        }

        var json = ToJson(details, "Api.Access.Review: details");
        _session.Record(r => r.RecordReview(code, json));
    }

    private JsonNode? ToJson(object? details, string what)
    {
        if (details is null)
        {
            return null;
        }

        if (details is JsonNode node)
        {
            return node.DeepClone();
        }

        try
        {
            return JsonSerializer.SerializeToNode(details, details.GetType());
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw _session.Fault($"{what} must be JSON-serializable: {ex.Message}");
        }
    }
}
