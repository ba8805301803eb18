using System.Reflection;
using Faable.AspNetCore;
using Faable.Tests.Shared;
using Faable.Webhooks;

namespace Faable.Integrations.Tests;

public sealed class ConventionTests
{
    private static readonly Assembly AspNetCore = typeof(FaableAuthOptions).Assembly;
    private static readonly Assembly Webhooks = typeof(FaableWebhookOptions).Assembly;
    private static readonly Assembly OpenApi = typeof(Faable.AspNetCore.OpenApi.FaableOpenApiSecurityOptions).Assembly;

    private static readonly string[] IntegrationNamespaces =
    [
        "Faable.AspNetCore.Diagnostics", "Faable.AspNetCore.OpenApi", "Faable.AspNetCore.ProtectedResource", "Faable.Webhooks.Health",
    ];

    private static IEnumerable<Type> IntegrationTypes() =>
        AspNetCore.GetExportedTypes().Concat(Webhooks.GetExportedTypes()).Concat(OpenApi.GetExportedTypes())
            .Where(t => IntegrationNamespaces.Contains(t.Namespace) || t.Name.Contains("HealthChecks", StringComparison.Ordinal) ||
                t.Name.Contains("OpenApi", StringComparison.Ordinal) || t.Name.Contains("ProtectedResource", StringComparison.Ordinal) ||
                t.Name.Contains("TokenDoctor", StringComparison.Ordinal));

    [Fact]
    public void PublicSurface_HasNoInternalNamespaceTypes()
    {
        Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(AspNetCore));
        Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(Webhooks));
        Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(OpenApi));
    }

    [Fact]
    public void PublicSurface_ClassesAreSealedOrStatic()
    {
        Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(AspNetCore));
        Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(Webhooks));
        Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(OpenApi));
    }

    [Fact]
    public void PublicSurface_AsyncMethodsFollowTheRules()
    {
        Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(AspNetCore));
        Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(Webhooks));
        Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(OpenApi));
    }

    [Fact]
    public void PublicSurface_IntegrationEntryPointsLiveInFrameworkNamespaces()
    {
        var entryPoints = IntegrationTypes().Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Extensions", StringComparison.Ordinal)).ToList();

        Assert.Equal(5, entryPoints.Count);
        Assert.All(entryPoints, t => Assert.True(
            t.Namespace is "Microsoft.Extensions.DependencyInjection" or "Microsoft.AspNetCore.Builder",
            $"{t.FullName} is an entry point outside the framework namespaces."));
    }

    [Fact]
    public void PublicSurface_EveryIntegrationTypeIsListedInPublicApiAndDocumented()
    {
        var root = Faable.Tests.Shared.RepositoryPaths.Root;
        foreach (var type in IntegrationTypes())
        {
            var project = type.Assembly.GetName().Name!;
            var listed = File.ReadAllText(Path.Combine(root, "src", project, "PublicAPI.Unshipped.txt"));
            Assert.Contains(type.FullName!, listed, StringComparison.Ordinal);
            var docs = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, project + ".xml"));
            Assert.Contains($"\"T:{type.FullName}\"", docs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Diagnostics_TokenDoctorResultTypes_CannotBeConstructedByUsers()
    {
        foreach (var type in new[] { typeof(AspNetCore.Diagnostics.FaableTokenDiagnosis), typeof(AspNetCore.Diagnostics.FaableTokenCheck), typeof(AspNetCore.Diagnostics.FaableEndpointAuthorization), typeof(AspNetCore.Diagnostics.FaableTokenDoctor), typeof(AspNetCore.Diagnostics.FaableEndpointAuthorizationReport) })
        {
            Assert.Empty(type.GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        }
    }
}
