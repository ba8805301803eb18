namespace Faable.AspNetCore.Tests.Infrastructure;

/// <summary>One tenant (key-0 published) and one API host shared by a test class that does not move time.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    internal FakeTenant Tenant { get; private set; } = null!;

    internal ApiHost Api { get; private set; } = null!;

    internal TokenFactory Tokens { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Tenant = await FakeTenant.StartAsync(TestKey.Shared(0));
        Api = await ApiHost.StartAsync(Tenant);
        Tokens = Api.Tokens(TestKey.Shared(0));
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Tenant.DisposeAsync();
    }
}
