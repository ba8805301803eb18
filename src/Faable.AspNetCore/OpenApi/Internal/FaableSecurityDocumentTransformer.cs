using System.Text.Json.Nodes;
using Faable.AspNetCore.Diagnostics.Internal;
using Faable.AspNetCore.Internal;
using Faable.Shared;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Faable.AspNetCore.OpenApi.Internal;

/// <summary>
/// Adds the tenant's OAuth 2.0 security scheme, with every scope the document's endpoints require, and the problem schema.
/// The authorization and token URLs are those the tenant's discovery document announces; until it has been read (the
/// key prefetch reads it at start-up), or when it leaves one out, the tenant's conventional <c>/authorize</c> and
/// <c>/oauth/token</c> stand in.
/// </summary>
internal sealed class FaableSecurityDocumentTransformer(FaableOpenApiSecurityOptions settings) : IOpenApiDocumentTransformer
{
    public const string ProblemSchemaName = "FaableAuthProblem";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.ApplicationServices.GetService<IOptions<FaableAuthOptions>>()?.Value;
        if (options is null || !FaableTenant.TryParse(options.Domain, out var tenant, out _))
        {
            return;
        }

        var scopes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            foreach (var value in EndpointRequirements.From(description.ActionDescriptor.EndpointMetadata).ScopeValues)
            {
                scopes[value] = settings.ScopeDescriptions.TryGetValue(value, out var text) ? text : $"Grants {value}.";
            }
        }

        var store = context.ApplicationServices.GetService<JwksKeyStore>();
        if (store is { Endpoints: null })
        {
            // Never throws; joins a running fetch or returns at once within the refresh cool-down.
            await store.TryRefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var discovered = store?.Endpoints;
        var authorizationUrl = discovered?.Authorization ?? new Uri(tenant!.Issuer + "/authorize");
        var tokenUrl = discovered?.Token ?? new Uri(tenant!.Issuer + "/oauth/token");
        var flows = new OpenApiOAuthFlows
        {
            AuthorizationCode = new OpenApiOAuthFlow
            {
                AuthorizationUrl = authorizationUrl,
                TokenUrl = tokenUrl,
                Scopes = new Dictionary<string, string>(scopes, StringComparer.Ordinal),
            },
        };
        if (settings.IncludeClientCredentialsFlow)
        {
            flows.ClientCredentials = new OpenApiOAuthFlow
            {
                TokenUrl = tokenUrl,
                Scopes = new Dictionary<string, string>(scopes, StringComparer.Ordinal),
            };
        }

        var audiences = FaableAuthOptionsValidator.AudienceList(options);
        var scheme = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = $"Faable Auth access token (RS256 JWT) issued by {tenant!.Issuer}" +
                (audiences.Count > 0 ? $" for the audience {string.Join(", ", audiences)}; request it with audience={audiences[0]}." : "."),
            Flows = flows,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[settings.SchemeName] = scheme;

        if (settings.AddProblemResponses)
        {
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            document.Components.Schemas[ProblemSchemaName] = ProblemSchema();
        }
    }

    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details in the shape every Faable package answers with: type urn:faable:problem:<reason>, the RFC 6750 error code and a stable reason.",
        Required = new HashSet<string>(StringComparer.Ordinal) { FaableProblem.TypeMember, FaableProblem.TitleMember, FaableProblem.StatusMember, FaableProblem.ErrorMember, FaableProblem.ReasonMember },
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            [FaableProblem.TypeMember] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = FaableProblem.TypePrefix + "<reason>" },
            [FaableProblem.TitleMember] = new OpenApiSchema { Type = JsonSchemaType.String },
            [FaableProblem.StatusMember] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            [FaableProblem.ErrorMember] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "RFC 6750 error code.",
                Enum = [.. AuthErrors.All.Select(e => e.Error).Distinct(StringComparer.Ordinal).Select(e => (JsonNode)JsonValue.Create(e))],
            },
            [FaableProblem.ReasonMember] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable reason code, e.g. expired, wrong_audience, insufficient_scope." },
            [FaableProblem.DetailMember] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["required"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["granted"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
    };
}
