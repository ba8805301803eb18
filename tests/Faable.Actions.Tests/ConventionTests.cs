using System.Reflection;
using Faable.Tests.Shared;

namespace Faable.Actions.Tests;

public sealed class ConventionTests
{
    private static readonly Assembly Assembly = typeof(FaableActionsEngine).Assembly;

    [Fact]
    public void InternalNamespaces_HaveNoPublicTypes() => Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(Assembly));

    [Fact]
    public void PublicClasses_AreSealedStaticOrTheExceptionBase() =>
        Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(Assembly));

    [Fact]
    public void AsyncMethods_EndInAsyncAndTakeCancellationTokenLast() =>
        Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(Assembly));

    [Fact]
    public void PublicSurface_HasNoInterpreterOrCompilerTypes()
    {
        var foreign = Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(m => m switch
            {
                MethodBase method => method.GetParameters().Select(p => p.ParameterType).Append((method as MethodInfo)?.ReturnType ?? typeof(void)),
                PropertyInfo property => [property.PropertyType],
                FieldInfo field => [field.FieldType],
                _ => [],
            })
            .Where(t => t.Namespace is { } ns && (ns.StartsWith("Jint", StringComparison.Ordinal) || ns.StartsWith("Acornima", StringComparison.Ordinal) || ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(foreign);
    }

    [Fact]
    public void DependencyInjectionEntryPoints_LiveInTheConventionalNamespace() =>
        Assert.Equal("Microsoft.Extensions.DependencyInjection", typeof(Microsoft.Extensions.DependencyInjection.FaableActionsServiceCollectionExtensions).Namespace);
}
