using Faable.Tests.Shared;

namespace Faable.Webhooks.Tests;

public sealed class ConventionTests
{
    private static readonly System.Reflection.Assembly Assembly = typeof(FaableWebhookVerifier).Assembly;

    [Fact]
    public void InternalNamespaces_HaveNoPublicTypes() => Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(Assembly));

    [Fact]
    public void PublicClasses_AreSealedOrStatic() =>
        Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(Assembly));

    [Fact]
    public void AsyncMethods_EndInAsyncAndTakeCancellationTokenLast() =>
        Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(Assembly));

    [Fact]
    public void PublicSurface_HasNoThirdPartyTypes()
    {
        var thirdParty = Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers())
            .SelectMany(m => m switch
            {
                System.Reflection.MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType),
                System.Reflection.PropertyInfo property => [property.PropertyType],
                _ => [],
            })
            .Where(t => t.Namespace?.StartsWith("StackExchange", StringComparison.Ordinal) == true)
            .ToList();

        Assert.Empty(thirdParty);
    }
}
