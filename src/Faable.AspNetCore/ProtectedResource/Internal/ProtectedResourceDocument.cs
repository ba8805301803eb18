using System.Text.Json;
using Faable.AspNetCore.Diagnostics.Internal;
using Faable.AspNetCore.Internal;
using Microsoft.AspNetCore.Routing;

namespace Faable.AspNetCore.ProtectedResource.Internal;

/// <summary>Builds the RFC 9728 §2 metadata document.</summary>
internal static class ProtectedResourceDocument
{
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    public static string? ResourceOf(FaableProtectedResourceOptions settings, FaableAuthOptions auth) =>
        settings.Resource ?? FaableAuthOptionsValidator.AudienceList(auth).FirstOrDefault();

    /// <summary>RFC 9728 §3.1: a resource with a path has its document under the well-known prefix followed by that path.</summary>
    public static string PathFor(string? resource)
    {
        if (resource is not null && Uri.TryCreate(resource, UriKind.Absolute, out var uri) &&
            (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.AbsolutePath.Length > 1)
        {
            return WellKnownPath + uri.AbsolutePath.TrimEnd('/');
        }

        return WellKnownPath;
    }

    public static SortedSet<string> CollectScopes(EndpointDataSource? endpoints, FaableProtectedResourceOptions settings)
    {
        var scopes = new SortedSet<string>(settings.AdditionalScopes.Where(s => !string.IsNullOrWhiteSpace(s)), StringComparer.Ordinal);
        foreach (var endpoint in endpoints?.Endpoints ?? [])
        {
            scopes.UnionWith(EndpointRequirements.From(endpoint.Metadata).ScopeValues);
        }

        return scopes;
    }

    public static byte[] Write(string resource, string issuer, IEnumerable<string> scopes, FaableProtectedResourceOptions settings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("resource", resource);
            writer.WriteStartArray("authorization_servers");
            writer.WriteStringValue(issuer);
            writer.WriteEndArray();
            writer.WriteStartArray("scopes_supported");
            foreach (var scope in scopes)
            {
                writer.WriteStringValue(scope);
            }

            writer.WriteEndArray();

            // RFC 6750 §2.1 only: the query string and form body are never read.
            writer.WriteStartArray("bearer_methods_supported");
            writer.WriteStringValue("header");
            writer.WriteEndArray();
            if (settings.ResourceName is not null)
            {
                writer.WriteString("resource_name", settings.ResourceName);
            }

            if (settings.ResourceDocumentation is not null)
            {
                writer.WriteString("resource_documentation", settings.ResourceDocumentation.AbsoluteUri);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
