using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore;

/// <summary>Returned by <c>AddFaableAuth</c> so further configuration can be chained.</summary>
public interface IFaableAuthBuilder
{
    /// <summary>Gets the service collection the resource server was added to.</summary>
    IServiceCollection Services { get; }
}
