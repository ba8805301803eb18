using Faable.Tests.Shared;

namespace Faable.AspNetCore.Tests;

public sealed class ConventionTests
{
    private static readonly System.Reflection.Assembly Assembly = typeof(FaableAuthOptions).Assembly;

    [Fact]
    public void PublicSurface_HasNoInternalNamespaceTypes() => Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(Assembly));

    [Fact]
    public void PublicSurface_ClassesAreSealedOrStatic() => Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(Assembly));

    [Fact]
    public void PublicSurface_AsyncMethodsFollowTheRules() => Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(Assembly));

    [Fact]
    public void PublicSurface_EntryPointsLiveInFrameworkNamespaces()
    {
        Assert.Equal("Microsoft.Extensions.DependencyInjection", typeof(Microsoft.Extensions.DependencyInjection.FaableAuthServiceCollectionExtensions).Namespace);
        Assert.Equal("Microsoft.AspNetCore.Builder", typeof(Microsoft.AspNetCore.Builder.FaableAuthApplicationBuilderExtensions).Namespace);
        Assert.Equal("Microsoft.AspNetCore.Builder", typeof(Microsoft.AspNetCore.Builder.FaableAuthEndpointConventionBuilderExtensions).Namespace);
    }

    [Fact]
    public void PublicSurface_EveryPublicTypeIsListedInPublicApi()
    {
        var listed = File.ReadAllText(Path.Combine(Faable.Tests.Shared.RepositoryPaths.Root, "src", "Faable.AspNetCore", "PublicAPI.Unshipped.txt"));
        foreach (var type in Assembly.GetExportedTypes())
        {
            Assert.Contains(type.FullName!, listed, StringComparison.Ordinal);
        }
    }
}
