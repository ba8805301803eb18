using Faable.AspNetCore.Authorization;
using Faable.AspNetCore.Diagnostics.Internal;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Faable.AspNetCore.OpenApi.Internal;

/// <summary>
/// Per operation: the security requirement with the scopes its metadata demands (any-of requirements become
/// alternative requirement objects, as OpenAPI reads a list of requirements as "one of"), and the 401/403 answers.
/// </summary>
internal sealed class FaableSecurityOperationTransformer(FaableOpenApiSecurityOptions settings) : IOpenApiOperationTransformer
{
    private const int MaxAlternatives = 32;
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var requirements = EndpointRequirements.From(context.Description.ActionDescriptor.EndpointMetadata);
        if (requirements.AllowsAnonymous)
        {
            return Task.CompletedTask;
        }

        if (!requirements.RequiresAuthentication)
        {
            var fallback = context.ApplicationServices.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy;
            if (fallback is null)
            {
                return Task.CompletedTask;
            }
        }

        var reference = new OpenApiSecuritySchemeReference(settings.SchemeName, context.Document);
        operation.Security ??= [];
        foreach (var alternative in Alternatives(requirements))
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [reference] = alternative });
        }

        var notes = Notes(requirements);
        if (notes.Count > 0)
        {
            var text = string.Join(Environment.NewLine, notes);
            operation.Description = string.IsNullOrEmpty(operation.Description) ? text : operation.Description + Environment.NewLine + Environment.NewLine + text;
        }

        if (settings.AddProblemResponses)
        {
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", Problem(context.Document, "Missing, invalid or expired access token (error missing_token or invalid_token; see WWW-Authenticate)."));
            if (requirements.CanForbid)
            {
                operation.Responses.TryAdd("403", Problem(context.Document, "The token lacks a required scope or permission (error insufficient_scope)."));
            }
        }

        return Task.CompletedTask;
    }

    internal static List<List<string>> Alternatives(EndpointRequirements requirements)
    {
        List<List<string>> alternatives = [[]];
        foreach (var scope in requirements.Scopes)
        {
            if (scope.RequireAll || scope.Values.Length == 1)
            {
                foreach (var alternative in alternatives)
                {
                    alternative.AddRange(scope.Values.Where(v => !alternative.Contains(v, StringComparer.Ordinal)));
                }

                continue;
            }

            var next = new List<List<string>>();
            foreach (var alternative in alternatives)
            {
                foreach (var value in scope.Values)
                {
                    if (next.Count < MaxAlternatives)
                    {
                        next.Add([.. alternative, .. alternative.Contains(value, StringComparer.Ordinal) ? Array.Empty<string>() : [value]]);
                    }
                }
            }

            alternatives = next;
        }

        return alternatives;
    }

    private static List<string> Notes(EndpointRequirements requirements)
    {
        var notes = new List<string>();
        foreach (var scope in requirements.Scopes)
        {
            var claim = scope.Source == ScopeSource.Permissions ? "permissions" : "scope or permissions";
            notes.Add($"Requires {(scope.RequireAll ? "all of" : "any of")} {string.Join(", ", scope.Values.Select(v => $"`{v}`"))} (claim: {claim}).");
        }

        foreach (var caller in requirements.CallerTypes)
        {
            notes.Add(caller == FaableCallerType.Machine ? "Machine-to-machine (client credentials) tokens only." : "User tokens only.");
        }

        return notes;
    }

    private static OpenApiResponse Problem(OpenApiDocument? document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
        {
            [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(FaableSecurityDocumentTransformer.ProblemSchemaName, document) },
        },
    };
}
