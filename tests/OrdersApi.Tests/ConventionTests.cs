using Faable.Tests.Shared;

namespace OrdersApi.Tests;

/// <summary>The sample follows the house rules for its public types.</summary>
public sealed class ConventionTests
{
    private static readonly System.Reflection.Assembly Sample = typeof(OrdersApi.Orders.OrderStore).Assembly;

    [Fact]
    public void PublicClasses_AreSealedOrStatic() => Assert.Empty(PublicSurfaceConventions.UnsealedPublicClasses(Sample));

    [Fact]
    public void InternalNamespaces_HaveNoPublicTypes() => Assert.Empty(PublicSurfaceConventions.PublicInternalTypes(Sample));

    [Fact]
    public void AsyncMethods_EndInAsyncAndTakeACancellationToken() => Assert.Empty(PublicSurfaceConventions.AsyncMethodViolations(Sample));
}
