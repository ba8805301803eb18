using Faable.Testing;
using Faable.Tests.Shared;

namespace Faable.Testing.Tests;

public sealed class ConventionTests
{
    private static readonly System.Reflection.Assembly Assembly = typeof(FaableTestTenant).Assembly;

    [Fact]
    public void PublicSurface_InternalNamespaces_AreNotPublic() =>
        Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(Assembly));

    [Fact]
    public void PublicSurface_Classes_AreSealedOrStatic() =>
        Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(Assembly));

    [Fact]
    public void PublicSurface_AsyncMethods_EndInAsyncAndTakeCancellationTokenLast() =>
        Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(Assembly));

    [Fact]
    public void PublicSurface_Types_AreInFaableOrFrameworkEntryNamespaces()
    {
        var allowed = new[] { "Faable.Testing", "Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting" };
        var misplaced = Assembly.GetExportedTypes().Where(t => !allowed.Contains(t.Namespace)).Select(t => t.FullName).ToList();
        Assert.Empty(misplaced);
    }
}
