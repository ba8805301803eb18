namespace OrdersApi.Tests.Infrastructure;

/// <summary>The tests that share one running sample.</summary>
[CollectionDefinition(Name)]
public sealed class SampleGroup : ICollectionFixture<SampleFixture>
{
    public const string Name = "OrdersApi sample";
}
