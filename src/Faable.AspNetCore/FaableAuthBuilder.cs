using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore;

/// <summary>Returned by <c>AddFaableAuth</c> so further configuration can be chained (for example <c>UseFaableLocalTenant</c> from Faable.Testing).</summary>
public sealed class FaableAuthBuilder
{
    internal FaableAuthBuilder(IServiceCollection services, string section)
    {
        Services = services;
        Section = section;
    }

    /// <summary>Gets the service collection the resource server was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the configuration section the options are bound from and validation messages name (<c>Faable</c> unless another was given).</summary>
    internal string Section { get; }
}
